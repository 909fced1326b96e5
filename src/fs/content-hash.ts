// Re-export of the pure content hash (src/model/content-hash.ts) for adapter code that expects
// it next to the file readers. The implementation lives in the model so the pure core can use it.
export { hashBytes, hashText } from '../model/content-hash.js';
