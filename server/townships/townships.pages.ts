import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireRole } from '../http/access';
import { AppError } from '../http/errors';
import { detectLang, t } from '../http/i18n';
import { redirectWithNotice, renderPage } from '../http/views';
import { bodyOf, formErrors, formField } from '../http/forms';
import './deposit.view';
import { rulesToJson } from './townships';
import * as service from './townships.service';

/** Form fields arrive flat (procurement.minAmount …); the service takes the API's shape. */
function rulesFromForm(form: Record<string, unknown>) {
  const body = Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const int = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  const band = (k: string) => ({
    minAmount: body[`${k}.minAmount`],
    maxAmount: body[`${k}.maxAmount`],
    minValidBids: int(body[`${k}.minValidBids`]),
  });
  return {
    procurement: band('procurement'),
    lease: band('lease'),
    minNoticeDays: int(body.minNoticeDays),
    publicityDays: int(body.publicityDays),
    openWithinHours: int(body.openWithinHours),
    awardWithinDays: int(body.awardWithinDays),
    contractWithinDays: int(body.contractWithinDays),
    openingQuorum: int(body.openingQuorum),
    deposit:
      'deposit.dueHours' in body
        ? {
            account: body['deposit.account'] ?? '',
            dueHours: int(body['deposit.dueHours']),
            refundRule: body['deposit.refundRule'],
          }
        : undefined,
  };
}

export function townshipsPages(ctx: AppContext): Router {
  const r = Router();
  const list = async (
    req: Parameters<typeof renderPage>[0],
    res: Parameters<typeof renderPage>[1],
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const townships = await service.listTownships(ctx);
    renderPage(
      req,
      res,
      'townships/index',
      { title: t(detectLang(req), 'townships.title'), townships, ...extra },
      status,
    );
  };
  r.get('/admin/townships', requireRole('admin'), (req, res) => list(req, res));
  r.post('/admin/townships', requireRole('admin'), async (req, res) => {
    try {
      await service.createTownship(ctx, currentUser(req), {
        code: formField(req, 'code'),
        name: formField(req, 'name'),
        district: formField(req, 'district'),
      });
      redirectWithNotice(req, res, '/admin/townships', 'townships.saved');
    } catch (err) {
      await list(req, res, { ...formErrors(req, err), values: req.body }, (err as AppError).status);
    }
  });
  const showRules = async (
    req: Parameters<typeof renderPage>[0],
    res: Parameters<typeof renderPage>[1],
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const township = await service.getTownship(ctx, req.params.id);
    const rules = rulesToJson(await service.getRules(ctx, township.id));
    renderPage(
      req,
      res,
      'townships/rules',
      { title: `${township.name} · ${t(detectLang(req), 'townships.rules')}`, township, rules, ...extra },
      status,
    );
  };
  r.get('/admin/townships/:id/rules', requireRole('admin'), (req, res) => showRules(req, res));
  r.post('/admin/townships/:id/rules', requireRole('admin'), async (req, res) => {
    try {
      await service.replaceRules(ctx, currentUser(req), String(req.params.id), rulesFromForm(bodyOf(req)));
      redirectWithNotice(req, res, `/admin/townships/${String(req.params.id)}/rules`, 'townships.saved');
    } catch (err) {
      await showRules(req, res, formErrors(req, err), (err as AppError).status);
    }
  });
  return r;
}
