/**
 * Numbered migrations; PRAGMA user_version records how many ran. Append only: never edit a shipped step.
 * Times are integer milliseconds since the Unix epoch.
 */
export const migrations: readonly string[] = [
  `CREATE TABLE buckets (
     name TEXT PRIMARY KEY,
     acl TEXT NOT NULL,
     storage_class TEXT NOT NULL,
     created_ms INTEGER NOT NULL
   );
   CREATE TABLE objects (
     bucket TEXT NOT NULL REFERENCES buckets(name),
     key TEXT NOT NULL,
     file TEXT NOT NULL UNIQUE,
     size INTEGER NOT NULL,
     etag TEXT NOT NULL,
     content_type TEXT NOT NULL,
     last_modified_ms INTEGER NOT NULL,
     acl TEXT NOT NULL DEFAULT 'default',
     headers TEXT NOT NULL DEFAULT '{}',
     PRIMARY KEY (bucket, key)
   ) WITHOUT ROWID;
   CREATE TABLE channels (
     bucket TEXT NOT NULL REFERENCES buckets(name),
     name TEXT NOT NULL,
     description TEXT NOT NULL,
     status TEXT NOT NULL,
     type TEXT NOT NULL,
     frag_duration INTEGER NOT NULL,
     frag_count INTEGER NOT NULL,
     playlist_name TEXT NOT NULL,
     snapshot TEXT,
     last_modified_ms INTEGER NOT NULL,
     PRIMARY KEY (bucket, name)
   ) WITHOUT ROWID;
   CREATE TABLE publishes (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     bucket TEXT NOT NULL,
     channel TEXT NOT NULL,
     start_ms INTEGER NOT NULL,
     end_ms INTEGER,
     remote_addr TEXT NOT NULL,
     playlist_name TEXT NOT NULL
   );
   CREATE INDEX publishes_by_channel ON publishes (bucket, channel, start_ms);
   CREATE TABLE segments (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     publish_id INTEGER NOT NULL REFERENCES publishes(id),
     bucket TEXT NOT NULL,
     channel TEXT NOT NULL,
     key TEXT NOT NULL,
     sequence INTEGER NOT NULL,
     start_ms INTEGER NOT NULL,
     duration_ms INTEGER NOT NULL
   );
   CREATE INDEX segments_by_channel_time ON segments (bucket, channel, start_ms);
   CREATE INDEX segments_by_publish ON segments (publish_id, sequence);`,
  // object API (issue 12): object type, storage class, CRC64, restore state; multi-file objects; multipart uploads.
  `ALTER TABLE objects ADD COLUMN object_type TEXT NOT NULL DEFAULT 'Normal';
   ALTER TABLE objects ADD COLUMN storage_class TEXT NOT NULL DEFAULT 'Standard';
   ALTER TABLE objects ADD COLUMN crc64 TEXT;
   ALTER TABLE objects ADD COLUMN extents INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE objects ADD COLUMN restore TEXT;
   CREATE TABLE object_extents (
     bucket TEXT NOT NULL,
     key TEXT NOT NULL,
     seq INTEGER NOT NULL,
     file TEXT NOT NULL UNIQUE,
     size INTEGER NOT NULL,
     PRIMARY KEY (bucket, key, seq)
   ) WITHOUT ROWID;
   CREATE TABLE uploads (
     upload_id TEXT PRIMARY KEY,
     bucket TEXT NOT NULL REFERENCES buckets(name),
     key TEXT NOT NULL,
     initiated_ms INTEGER NOT NULL,
     meta TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX uploads_by_key ON uploads (bucket, key, upload_id);
   CREATE TABLE upload_parts (
     upload_id TEXT NOT NULL,
     part_number INTEGER NOT NULL,
     file TEXT NOT NULL UNIQUE,
     size INTEGER NOT NULL,
     etag TEXT NOT NULL,
     crc64 TEXT,
     last_modified_ms INTEGER NOT NULL,
     PRIMARY KEY (upload_id, part_number)
   ) WITHOUT ROWID;`,
  // Bucket configuration documents (CORS, referer, lifecycle, tagging, encryption, policy, logging, website);
  // object tags (JSON list of [key, value]) and symlink targets (a symlink is an object row with an empty file).
  `CREATE TABLE bucket_configs (
     bucket TEXT NOT NULL,
     kind TEXT NOT NULL,
     doc TEXT NOT NULL,
     PRIMARY KEY (bucket, kind)
   ) WITHOUT ROWID;
   ALTER TABLE objects ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE objects ADD COLUMN symlink_target TEXT;`,
  // PutBucket's CreateBucketConfiguration DataRedundancyType (LRS|ZRS) and the bucket's Comment (GetBucketInfo).
  `ALTER TABLE buckets ADD COLUMN data_redundancy_type TEXT NOT NULL DEFAULT 'LRS';
   ALTER TABLE buckets ADD COLUMN comment TEXT NOT NULL DEFAULT '';`,
  // Small objects' bytes kept in the database (objects.file = 'inline/<id>'): group-committed PutObject, no file per GET.
  `CREATE TABLE object_blobs (
     id TEXT PRIMARY KEY,
     data BLOB NOT NULL
   ) WITHOUT ROWID;`,
];
