// Where `workplan serve` listens unless told otherwise (docs/serve.md). No imports: the library's
// entry re-exports these without loading the server.

export const DEFAULT_SERVE_PORT = 7411;
export const DEFAULT_SERVE_HOST = '127.0.0.1';
