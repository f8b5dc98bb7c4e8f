// Types of the Undercurrent JavaScript client (undercurrent.js). The wire protocol: websocket-edge/PROTOCOL.md.

/** A row as the server sends it: column name to JSON value. */
export type Row = Record<string, unknown>;

/** `where`: column name to operators, plus and / or / not. Data, never code. */
export type Where = { [column: string]: unknown };

/** What a live query asks for. Only `table` is required. */
export interface Query {
  /** Configured source; the server's default source when absent. */
  source?: string;
  /** `schema.table`, for example `public.todos`. */
  table: string;
  where?: Where;
  /** Columns to send; the key columns are always sent. */
  fields?: string[];
  /** For example `[["created_at", "desc"], ["id", "asc"]]`. */
  orderBy?: Array<[string, 'asc' | 'desc']>;
  /** Keep only the first `limit` rows in `orderBy` order. */
  limit?: number;
}

/** One delta of a `changes` frame. `removed` carries `key` only. */
export interface Change<R extends Row = Row> {
  op: 'added' | 'changed' | 'removed';
  key: Row;
  row?: R;
  /** Columns the database did not resend; the client keeps their previous values in `rows`. */
  unchanged?: string[];
}

/** An `error` frame's content. Codes: PROTOCOL.md; `token_source` and `bad_frame` are the client's own. */
export interface ServerError {
  code: string;
  message: string;
}

export interface SnapshotFrame<R extends Row = Row> {
  type: 'snapshot';
  id: string;
  keyColumns: string[];
  rows: R[];
  position: string;
}

export interface ChangesFrame<R extends Row = Row> {
  type: 'changes';
  id: string;
  changes: Change<R>[];
  position: string;
  committedAt: number;
}

/**
 * - `loading`: waiting for the first snapshot, or for the snapshot after a `reset` (rows shown are the previous ones);
 * - `live`: rows are current, deltas are applied as they arrive;
 * - `reconnecting`: the connection was lost; rows are the last known ones until the server answers again;
 * - `error`: the server refused or ended the query (see `error`); `internal`, `rate_limited` and `overloaded` are retried with backoff;
 * - `closed`: unsubscribed, or the client was closed.
 */
export type QueryStatus = 'loading' | 'live' | 'reconnecting' | 'error' | 'closed';

/** A live query's state as one immutable value, replaced on every update. */
export interface QueryState<R extends Row = Row> {
  readonly rows: readonly R[];
  readonly status: QueryStatus;
  readonly error: ServerError | undefined;
}

/** Callbacks of one live query; all optional, all called synchronously as frames are applied. */
export interface QueryHandlers<R extends Row = Row> {
  /** After the snapshot and after every change: all rows, in arrival order. */
  onRows?(rows: readonly R[]): void;
  /** A snapshot replaced the rows: the first one, after a `reset`, or after a reconnect the server could not resume. */
  onSnapshot?(rows: readonly R[], frame: SnapshotFrame<R>): void;
  /** Deltas as they arrive (already applied to `rows`). */
  onChanges?(changes: Change<R>[], frame: ChangesFrame<R>): void;
  /** After a reconnect, the server resumed the query: the rows were kept and only the missed deltas follow. */
  onResumed?(frame: { type: 'resumed'; id: string }): void;
  /** The rows are no longer valid (rules or identity changed); a fresh snapshot follows. */
  onReset?(reason: string, frame: { type: 'reset'; id: string; reason: string }): void;
  /** The server refused or ended this query. */
  onError?(error: ServerError): void;
}

export declare class LiveQuery<R extends Row = Row> {
  readonly query: Readonly<Query>;
  /** Current rows, in arrival order; a new array after every update. */
  readonly rows: readonly R[];
  readonly status: QueryStatus;
  readonly error: ServerError | undefined;
  /** The key columns named by the last snapshot. */
  readonly keyColumns: string[] | undefined;
  /** Position of the last snapshot or changes frame applied; sent as `after` when resuming. */
  readonly position: string | undefined;
  /** rows, status and error together; the same object until the next update. */
  readonly state: QueryState<R>;
  /** Calls `listener` after every update; returns a function that removes it. */
  onUpdate(listener: (state: QueryState<R>) => void): () => void;
  /** The rows as a new array (the first client's name for `rows`). */
  list(): R[];
  /** Ends the query; its status becomes `closed`. */
  unsubscribe(): void;
}

/**
 * - `connecting`: the first connection is being made;
 * - `ready`: connected, authenticated when a token is used; live queries are subscribed;
 * - `reconnecting`: the connection was lost or could not be made; the next attempt is in `retryIn` ms;
 * - `closed`: for good: `close()` was called, the server closed with a code after which reconnecting cannot
 *   help (4400, 1009, ...), or a token was refused or expired and there is no `getToken` to get another.
 */
export type ConnectionState = 'connecting' | 'ready' | 'reconnecting' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** The WebSocket close code that ended the last connection (`reconnecting`, `closed`). */
  closeCode?: number;
  closeReason?: string;
  /** Reconnect attempts since the last successful connection (`reconnecting`). */
  attempt?: number;
  /** Milliseconds until the next attempt (`reconnecting`). */
  retryIn?: number;
  /** Why the client closed, when a token was refused. */
  error?: ServerError;
}

export interface UndercurrentOptions {
  /** A fixed token (JWT). When it expires the client closes (4401); prefer `getToken`. */
  token?: string;
  /**
   * Called for a token at every connect and again before the current token expires (`refreshMargin`
   * ahead of `exp`, or half way for short tokens); the fresh token is sent on the open connection.
   * A rejected promise is reported through `onError` and retried.
   */
  getToken?: () => string | Promise<string>;
  /** The WebSocket class; `globalThis.WebSocket` by default (browsers, Node 22+). */
  WebSocket?: unknown;
  /** First reconnect delay in ms (default 250); doubled per failed attempt, up to `maxDelay`. */
  initialDelay?: number;
  /** Longest reconnect delay in ms (default 15000). Each delay is jittered to between half and all of it. */
  maxDelay?: number;
  /** Random numbers in [0, 1) for the jitter (default Math.random). */
  random?: () => number;
  /** Ms between pings (default 25000); a connection silent for two of them is replaced. */
  pingInterval?: number;
  /** Ms a connection may take to open (default 10000). */
  connectTimeout?: number;
  /** Ms ahead of the token's expiry to refresh it (default 60000). */
  refreshMargin?: number;
  /** Every connection state change. */
  onStateChange?(status: ConnectionStatus): void;
  /** The connection is ready (after each reconnect too). */
  onOpen?(): void;
  /** The connection closed, with the WebSocket close code. */
  onClose?(code: number, reason: string): void;
  /** Errors that belong to no live query: a refused token, a rate limit, a failing `getToken`. */
  onError?(error: ServerError): void;
  /** Frames of types this client does not know. */
  onFrame?(frame: { type: string; [field: string]: unknown }): void;
}

/** A client present in a channel: an opaque id, and the claims the channel rule lets others see. */
export interface ChannelMember {
  client: string;
  info: { [claim: string]: unknown };
}

/**
 * - `joining`: the join was sent; `members` is empty until `joined`;
 * - `joined`: in the channel; `members` is kept current;
 * - `reconnecting`: the connection was lost; joined again on the next one;
 * - `error`: the server refused the join (`error` says why: `forbidden`, `limit_exceeded`...);
 * - `left`: `leave()` was called, the client closed, or the server took the client out (`onLeft` says why).
 */
export type ChannelStatus = 'joining' | 'joined' | 'reconnecting' | 'error' | 'left';

export interface ChannelState {
  members: readonly ChannelMember[];
  status: ChannelStatus;
  error: ServerError | undefined;
}

export interface ChannelHandlers<D = unknown> {
  /** Joined (again, after a reconnect): everyone present, this client included. */
  onJoined?(members: readonly ChannelMember[]): void;
  /** Everyone present, after the join and after every join or leave. */
  onPresence?(members: readonly ChannelMember[]): void;
  onJoin?(member: ChannelMember): void;
  onLeave?(member: ChannelMember): void;
  /** Another client's message; a client never receives its own. */
  onMessage?(data: D, from: ChannelMember): void;
  /** The join was refused. */
  onError?(error: ServerError): void;
  /**
   * No longer in the channel; `reason` is set when the server took the client out (e.g. its token
   * changed), and `code` when that is something a program may act on: `forbidden` when the channel
   * rule no longer lets the client join (its membership was deleted, or the rule was changed).
   */
  onLeft?(reason: string | undefined, code: string | undefined): void;
}

/** An ephemeral channel the client is in: presence and typing indicators, never stored. */
export declare class Channel<D = unknown> {
  readonly name: string;
  /** Everyone present, this client included, in join order; a new array after every change. */
  readonly members: readonly ChannelMember[];
  /** This connection's own client id in `members` (new on every connection). */
  readonly self: string | undefined;
  readonly status: ChannelStatus;
  readonly error: ServerError | undefined;
  /** Sends `data` to everyone else present; rejects with the server's error (`rate_limited`, `limit_exceeded`, ...). */
  publish(data: D): Promise<void>;
  /** Leaves the channel. */
  leave(): void;
  /** Calls `listener` after every update; returns a function that removes it. */
  onUpdate(listener: (state: ChannelState) => void): () => void;
}

export declare class Undercurrent {
  /** @param url ws:// or wss:// address of `/v1/live`. Connecting starts at once. */
  constructor(url: string, options?: UndercurrentOptions);
  readonly url: string;
  readonly state: ConnectionState;
  /** The close code of the connection that ended last. */
  readonly closeCode: number | undefined;
  readonly closeReason: string | undefined;
  /** When the current token expires (ms since 1970), from the server's `ready`. */
  readonly expiresAt: number | undefined;
  /** What the server announced in `ready.features` (for example `resume`). */
  readonly features: ReadonlySet<string>;
  /** Starts a live query; it is subscribed again on every new connection until unsubscribed. */
  subscribe<R extends Row = Row>(query: Query, handlers?: QueryHandlers<R>): LiveQuery<R>;
  /**
   * Joins an ephemeral channel (e.g. `group:42`), as its channel rule allows; joined again on every new
   * connection until `leave()`. Throws when already in that channel.
   */
  join<D = unknown>(name: string, handlers?: ChannelHandlers<D>): Channel<D>;
  /** Calls `listener` on every connection state change; returns a function that removes it. */
  onStateChange(listener: (status: ConnectionStatus) => void): () => void;
  /** Replaces the token, on the open connection too, without dropping live queries. */
  setToken(token: string): void;
  /** Gets a fresh token from `getToken` and sends it now. */
  refreshToken(): Promise<void>;
  /** Closes the connection for good; every live query becomes `closed`. */
  close(): void;
}

/** The wait in ms before reconnect attempt `attempt` (0 first): between half and all of min(maxDelay, initialDelay * 2^attempt). */
export declare function backoffDelay(
  attempt: number,
  options?: { initialDelay?: number; maxDelay?: number; random?: () => number },
): number;
