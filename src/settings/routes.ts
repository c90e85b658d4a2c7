// Routes of the settings area: one table, read top to bottom.
import type { RouteDef } from '../web/routing.ts';

export const routes: RouteDef[] = [
];
