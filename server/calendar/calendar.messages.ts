import { defineMessages } from '../http/i18n';

export const calendarMessages = defineMessages({
  'calendar.title': { zh: '工作日历（节假日与调休）', en: 'Working-day calendar (holidays and make-up days)' },
  'calendar.intro': {
    zh: '办理时限按工作日计算：周一至周五为工作日，下表中的“节假日”不计，“调休上班”的周末计为工作日。',
    en: 'Time limits count working days: Monday to Friday, minus the holidays below, plus the weekend days marked as make-up working days.',
  },
  'calendar.day': { zh: '日期', en: 'Date' },
  'calendar.kind': { zh: '类型', en: 'Kind' },
  'calendar.name': { zh: '名称', en: 'Name' },
  'calendar.kind.holiday': { zh: '节假日（不上班）', en: 'Holiday (day off)' },
  'calendar.kind.workday': { zh: '调休上班', en: 'Make-up working day' },
  'calendar.add': { zh: '添加/修改日期', en: 'Add or change a day' },
  'calendar.delete': { zh: '删除', en: 'Delete' },
  'calendar.saved': { zh: '已保存。', en: 'Saved.' },
  'calendar.deleted': { zh: '已删除。', en: 'Deleted.' },
  'calendar.empty': { zh: '尚未录入节假日。', en: 'No holidays entered yet.' },
  'calendar.year': { zh: '年份', en: 'Year' },
  'calendar.badDay': { zh: '请填写有效日期（YYYY-MM-DD）', en: 'a valid date (YYYY-MM-DD)' },
});
