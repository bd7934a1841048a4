/** The SQLite engine of the Store: open it with openSqliteStore. */
export { openSqliteStore, type OpenSqliteStoreOptions } from './open-sqlite-store.js';
export { SqliteStore } from './sqlite-store.js';
export { articleId } from './article-id.js';
export { feedItemHash, articleContentHash } from '../content-hash.js';
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.js';
