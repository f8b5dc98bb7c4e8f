-- The MariaDB variant's schema (docker-compose.yml, profile "mariadb"): run once by the mariadb
-- image when its volume is new, in database shop (MARIADB_DATABASE). deploy/mariadb/rules is
-- written for it: the example todos table of deploy/postgres, on MariaDB.
-- Capture needs the server's --log-bin --binlog-format=ROW --binlog-row-image=FULL (the whole
-- old row in every update and delete, so rules judge a removal on it) and InnoDB tables (the
-- default engine): live queries read them in a consistent snapshot.

-- The image creates user undercurrent (MARIADB_USER) with rights on shop only; ingest reads the
-- binary log as a replica and each snapshot read asks for its binlog position.
GRANT SELECT, RELOAD, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'undercurrent'@'%';

create table shop.todos (
  id bigint auto_increment primary key,
  owner_id varchar(64) not null,
  title varchar(255) not null,
  done boolean not null default false,
  internal_note text,
  created_at timestamp(6) not null default current_timestamp(6)
) engine=InnoDB;

insert into shop.todos (owner_id, title, done, internal_note) values
  ('alice', 'Buy oat milk', false, null),
  ('alice', 'Write the quarterly report', false, 'Flagged for review by the admin'),
  ('alice', 'Book the dentist', true, null),
  ('bob', 'Fix the bike brakes', false, null),
  ('bob', 'Plan the team offsite', false, 'Budget not approved yet');
