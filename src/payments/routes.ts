// Routes of the payments area: one table, read top to bottom.
import type { RouteDef } from '../web/routing.ts';

export const routes: RouteDef[] = [
];
