// `npm run dev`: the server from source under `tsx watch` (restarted when a .ts file changes), with
// templates read again on every request so that an edited view shows without a restart.
process.env.TEMPLATE_CACHE ??= 'off';
await import('./server.ts');
