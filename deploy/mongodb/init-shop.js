// The MongoDB variant's data (docker-compose.yml, profile "mongodb"), run by the one-shot service
// mongodb-init once the replica set has a primary: mongosh --file. deploy/mongodb/rules is written
// for it. Safe to run again: it creates and seeds the collection only when it does not exist.
//
// Not a /docker-entrypoint-initdb.d script: the mongo image runs those on a mongod started with
// --replSet and no initiated set, where every write fails.
//
// The $jsonSchema validator is the collection's schema for live queries (filters and orders need
// declared types, source-read/mongodb); pre-images give removals the whole old document, so rules
// judge them on it.
const shop = db.getSiblingDB("shop");
if (!shop.getCollectionNames().includes("todos")) {
  shop.createCollection("todos", {
    validator: {
      $jsonSchema: {
        bsonType: "object",
        required: ["owner_id", "title", "done", "created_at"],
        properties: {
          _id: { bsonType: "objectId" },
          owner_id: { bsonType: "string" },
          title: { bsonType: "string" },
          done: { bsonType: "bool" },
          internal_note: { bsonType: ["string", "null"] },
          created_at: { bsonType: "date" },
        },
      },
    },
    changeStreamPreAndPostImages: { enabled: true },
  });
  const now = new Date();
  shop.todos.insertMany([
    { owner_id: "alice", title: "Buy oat milk", done: false, internal_note: null, created_at: now },
    { owner_id: "alice", title: "Write the quarterly report", done: false, internal_note: "Flagged for review by the admin", created_at: now },
    { owner_id: "alice", title: "Book the dentist", done: true, internal_note: null, created_at: now },
    { owner_id: "bob", title: "Fix the bike brakes", done: false, internal_note: null, created_at: now },
    { owner_id: "bob", title: "Plan the team offsite", done: false, internal_note: "Budget not approved yet", created_at: now },
  ]);
}
