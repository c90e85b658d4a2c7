// The yardstick: a bare Express 5 handler on the same Node, started like the app (tsx).
import express from 'express';

const app = express();
app.get('/', (_req, res) => { res.send('ok'); });
const port = Number(process.env.PORT ?? 3999);
app.listen(port, '127.0.0.1', () => console.log(`bare express on ${port}`));
process.on('SIGTERM', () => process.exit(0));
