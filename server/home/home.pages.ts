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
  r.get('/admin', requireRole('admin'), (req, res) => renderPage(req, res, 'home/admin', { title: t(detectLang(req), 'home.adminDesk') }));
  r.get('/auditor', requireRole('auditor'), (req, res) => renderPage(req, res, 'home/auditor', { title: t(detectLang(req), 'home.auditorDesk') }));
  // the listings concept replaces this with the full staff dashboard
  r.get('/staff', requireRole('staff'), (req, res) => renderPage(req, res, 'home/staff', { title: t(detectLang(req), 'home.staffDesk') }));
  r.get('/bidder', requireRole('bidder'), (req, res) => renderPage(req, res, 'home/bidder', { title: t(detectLang(req), 'home.bidderDesk') }));
  return r;
}
