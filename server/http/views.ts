import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Request, Response } from 'express';
import { assetUrl } from './assets';
import { csrfToken } from './csrf';
import { detectLang, Lang, t } from './i18n';

export const VIEWS_DIR = path.resolve(__dirname, '../../views');

/**
 * A small Handlebars engine: views/<name>.hbs rendered into views/layouts/main.hbs,
 * partials from views/partials. Templates are compiled once and cached.
 */
export function createViewEngine(cache: boolean) {
  const hbs = Handlebars.create();
  const compiled = new Map<string, HandlebarsTemplateDelegate>();

  hbs.registerHelper('t', function (this: unknown, key: string, options: Handlebars.HelperOptions) {
    const data = options.data as { root?: { lang?: Lang } } | undefined;
    const lang = data?.root?.lang ?? 'zh';
    return t(lang, key, options.hash ?? {});
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('not', (a: unknown) => !a);
  /** a static file's hashed address, cached for a year by browsers (server/http/assets.ts) */
  hbs.registerHelper('asset', (name: string) => assetUrl(name));

  function loadPartials() {
    const dir = path.join(VIEWS_DIR, 'partials');
    if (!fs.existsSync(dir)) return;
    for (const file of fs.readdirSync(dir)) {
      if (file.endsWith('.hbs')) hbs.registerPartial(file.slice(0, -4), fs.readFileSync(path.join(dir, file), 'utf8'));
    }
  }
  loadPartials();

  function template(file: string): HandlebarsTemplateDelegate {
    let tpl = cache ? compiled.get(file) : undefined;
    if (!tpl) {
      if (!cache) loadPartials();
      tpl = hbs.compile(fs.readFileSync(file, 'utf8'));
      compiled.set(file, tpl);
    }
    return tpl;
  }

  return (filePath: string, options: object, callback: (e: unknown, rendered?: string) => void) => {
    try {
      const model = options as Record<string, unknown>;
      const body = template(filePath)(model);
      const layout =
        model.layout === false ? null : path.join(VIEWS_DIR, 'layouts', `${(model.layout as string) || 'main'}.hbs`);
      callback(null, layout ? template(layout)({ ...model, body }) : body);
    } catch (e) {
      callback(e);
    }
  };
}

/**
 * Every page render goes through here: it adds what the layout needs (language, user, the CSRF
 * token for signed-in users and forms) so routes pass only their own view model.
 */
export function renderPage(
  req: Request,
  res: Response,
  view: string,
  model: Record<string, unknown> = {},
  status = 200,
): void {
  res.status(status).render(view, pageModel(req, model));
}

/** The same page as a string (for the public read cache): only for anonymous readers. */
export function renderPageToString(
  req: Request,
  res: Response,
  view: string,
  model: Record<string, unknown>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    res.app.render(view, pageModel(req, model), (err: Error | null, html?: string) =>
      err ? reject(err) : resolve(html ?? ''),
    );
  });
}

/**
 * POST/redirect/GET: a form that changed something answers 303 to a page a reload cannot repeat; what
 * it did is said once on that page (kept in the session until the next page shows it).
 */
export function redirectWithNotice(
  req: Request,
  res: Response,
  url: string,
  noticeKey: string,
  params: Record<string, string | number> = {},
): void {
  if (req.session) req.session.flash = t(detectLang(req), noticeKey, params);
  res.redirect(303, url);
}

function takeFlash(req: Request): string | undefined {
  const flash = req.session?.flash;
  if (flash) delete req.session.flash;
  return flash;
}

function pageModel(req: Request, model: Record<string, unknown>): Record<string, unknown> {
  const lang = detectLang(req);
  const needsToken = Boolean(req.user) || model.form === true;
  const flash = takeFlash(req);
  return {
    lang,
    htmlLang: lang === 'zh' ? 'zh-CN' : 'en',
    otherLang: lang === 'zh' ? 'en' : 'zh',
    user: req.user ? { ...req.user, roleLabel: t(lang, `role.${req.user.role}`) } : null,
    csrfToken: needsToken && req.session ? csrfToken(req) : undefined,
    path: req.path,
    ...model,
    notice: model.notice ?? flash,
  };
}
