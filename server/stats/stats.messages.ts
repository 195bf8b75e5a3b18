import { defineMessages } from '../http/i18n';

export const statsMessages = defineMessages({
  'stats.badDate': { zh: '请填写日期（YYYY-MM-DD）或 ISO 8601 时间', en: 'a date (YYYY-MM-DD) or an ISO 8601 time' },
  'stats.toBeforeFrom': { zh: '结束日期不能早于开始日期', en: 'must not be before the start' },
});
