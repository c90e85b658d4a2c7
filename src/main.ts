// The entry of `npm start`: Node's on-disk compile cache first (Node 22.1 and later; in the system's
// temporary folder), so that a restart does not compile the app and its packages again, then the server.
// The cache has to be on before the server's modules are loaded, hence this file and a dynamic import.
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('./server.ts');
