// Every route of the app, area by area. The access test walks this list, so a route added
// anywhere is checked for every role.
import type { RouteDef } from './web/routing.ts';
import { routes as auth } from './auth/routes.ts';
import { routes as lots } from './lots/routes.ts';
import { routes as firms } from './firms/routes.ts';
import { routes as golive } from './golive/routes.ts';
import { routes as contracts } from './contracts/routes.ts';
import { routes as titling } from './contracts/title-routes.ts';
import { routes as payments } from './payments/routes.ts';
import { routes as receiptList } from './payments/receipt-list-routes.ts';
import { routes as delinquency } from './delinquency/routes.ts';
import { routes as fund } from './fund/routes.ts';
import { routes as portal } from './portal/routes.ts';
import { routes as settings } from './settings/routes.ts';
import { routes as quote } from './quote/routes.ts';
import { routes as account } from './account/routes.ts';
import { routes as map } from './map/routes.ts';
import { routes as users } from './users/routes.ts';
import { routes as audit } from './audit/routes.ts';
import { routes as site } from './site/routes.ts';
import { routes as acts } from './acts/routes.ts';
import { routes as collections } from './collections/routes.ts';
import { routes as passwordReset } from './auth/reset-routes.ts';
import { routes as mail } from './mail/routes.ts';
import { routes as transparency } from './transparency/routes.ts';
import { routes as bankMatching } from './bank/matching-routes.ts';
import { routes as bank } from './bank/routes.ts';
import { routes as attachments } from './attachments/routes.ts';
import { routes as closings } from './closings/routes.ts';
import { routes as identity } from './identity/routes.ts';

export const allRoutes: RouteDef[] = [
  ...auth, ...lots, ...firms, ...golive, ...contracts, ...titling, ...payments, ...receiptList, ...delinquency, ...fund, ...portal, ...settings, ...quote, ...account, ...map, ...users, ...audit, ...site, ...acts, ...collections,
  ...passwordReset, ...mail,
  ...transparency,
  ...bankMatching,
  ...bank,
  ...attachments,
  ...closings,
  ...identity,
];
