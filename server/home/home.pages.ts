import { Router } from 'express';
import type { AppContext } from '../context';
import { requireRole } from '../http/access';
import { detectLang, t } from '../http/i18n';
import { renderPage } from '../http/views';
import './home.messages';

/** The public home page and each role's desk (later concepts add their sections to the desks). */
export function homePages(_ctx: AppContext): Router {
  const r = Router();
  r.get('/', (req, res) => renderPage(req, res, 'home/index', { title: t(detectLang(req), 'nav.home') }));
  r.get('/admin', requireRole('admin'), (req, res) =>
    renderPage(req, res, 'home/admin', { title: t(detectLang(req), 'home.adminDesk') }),
  );
  // the auditor's desk is the audit concept's workspace (server/audit/audit.pages.ts)
  // the staff desk is the listings dashboard (server/listings/listings.pages.ts)
  r.get('/bidder', requireRole('bidder'), (req, res) =>
    renderPage(req, res, 'home/bidder', { title: t(detectLang(req), 'home.bidderDesk') }),
  );
  return r;
}
