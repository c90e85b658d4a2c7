// Who is acting, for the audit log and the "recorded by" of receipts and entries.
import type { Request } from 'express';
import type { Actor } from '../audit/audit.ts';

export function actorOf(req: Request): Actor {
  return { id: req.user?.id ?? null, username: req.user?.username ?? null, ip: req.ip ?? null };
}
