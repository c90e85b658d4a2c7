// What a browser asks of every site: the icon. The layout links /static/favicon.svg; browsers and
// tools that still ask for /favicon.ico get the same picture instead of a 404.
import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { ROOT_DIR } from '../db/knex.ts';
import { get, type RouteDef } from '../web/routing.ts';

const ICON = fs.readFileSync(path.join(ROOT_DIR, 'public/favicon.svg'));

const favicon: RequestHandler = (_req, res) => {
  res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(ICON);
};

export const routes: RouteDef[] = [
  get('/favicon.ico', 'public', favicon),
];
