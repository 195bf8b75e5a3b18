import type { AppContext } from '../context';
import type { Lang } from '../http/i18n';
import { statsView } from './stats.view';
import type { Scope } from './scope';

/** The kiosk's statistics tab: the same figures as /stats for the picked township. */
export function kioskStats(ctx: AppContext, scope: Scope, lang: Lang) {
  return statsView(
    ctx,
    scope.townshipId ? { townshipId: scope.townshipId } : scope.district ? { district: scope.district } : {},
    lang,
  );
}
