import type { Request } from 'express';
import { detectLang, t } from '../../server/http/i18n';
import '../../server/http/messages';
import { checkPasswordPolicy } from '../../server/accounts/passwords';
import { loadConfig } from '../../server/config';

const req = (headers: Record<string, string>, query: Record<string, string> = {}) =>
  ({ headers, query }) as unknown as Request;

describe('detectLang', () => {
  it.each([
    [{}, {}, 'zh'],
    [{ 'accept-language': 'en-US,en;q=0.9' }, {}, 'en'],
    [{ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' }, {}, 'zh'],
    [{ 'accept-language': 'fr-FR,en;q=0.5' }, {}, 'en'],
    [{ 'accept-language': 'en;q=0.3,zh;q=0.8' }, {}, 'zh'],
    [{ cookie: 'x=1; lang=en' }, {}, 'en'],
    [{ 'accept-language': 'en' }, { lang: 'zh' }, 'zh'],
  ])('headers %p query %p → %s', (headers, query, expected) => {
    expect(detectLang(req(headers as Record<string, string>, query as Record<string, string>))).toBe(expected);
  });
  it('fills placeholders in both languages', () => {
    expect(t('en', 'field.tooLong', { max: 5 })).toBe('at most 5 characters');
    expect(t('zh', 'field.tooLong', { max: 5 })).toBe('不能超过 5 个字符');
  });
});

describe('password policy', () => {
  it.each([
    ['short', 'tooShort'],
    ['123456789', 'tooShort'],
    ['x'.repeat(129), 'tooLong'],
    ['1234567890', 'common'],
    ['QwertyUiop', 'common'],
    ['correct horse battery', null],
    ['只用中文也可以的密码串', null],
    ['aaaaaaaaaa', null],
  ])('%p → %p', (pw, problem) => {
    expect(checkPasswordPolicy(pw)).toBe(problem);
  });
  it('counts characters, not bytes', () => {
    expect(checkPasswordPolicy('密码密码密码密码密码')).toBeNull(); // 10 characters
    expect(checkPasswordPolicy('密码密码密码密码密')).toBe('tooShort');
  });
});

describe('config', () => {
  it('refuses weaker argon2 parameters than the minimum', () => {
    expect(() => loadConfig({ ARGON2_MEMORY_KIB: '1024' })).toThrow(/ARGON2_MEMORY_KIB/);
  });
  it('validates OCDS_PREFIX and BID_SEAL_KEY', () => {
    expect(() => loadConfig({ OCDS_PREFIX: 'bad' })).toThrow(/OCDS_PREFIX/);
    expect(() => loadConfig({ BID_SEAL_KEY: 'abcd' })).toThrow(/BID_SEAL_KEY/);
    expect(loadConfig({ BID_SEAL_KEY: 'a'.repeat(64) }).bidSealKey?.length).toBe(32);
  });
  it('reads defaults: port 3000, migrate on start', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.migrateOnStart).toBe(true);
    expect(loadConfig({ MIGRATE_ON_START: 'false' }).migrateOnStart).toBe(false);
  });
});
