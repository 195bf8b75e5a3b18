import { defineMessages } from '../http/i18n';

export const supervisionMessages = defineMessages({
  'supervision.title': { zh: '电子监察', en: 'Electronic supervision' },
  'supervision.alerts': { zh: '当前预警与亮牌', en: 'Current warnings and cards' },
  'supervision.myAlerts': { zh: '本站办理时限提醒', en: 'Time-limit alerts for this station' },
  'supervision.none': { zh: '目前没有超时或临近时限的事项。', en: 'Nothing is overdue or close to its limit.' },
  'supervision.report': { zh: '预警统计（按乡镇）', en: 'Alerts raised, per township' },
  'supervision.reportNote': {
    zh: '统计口径：某事项进入预警（已用时限 80%）、黄牌（超时）、红牌（超时达一倍时限）的时刻落在该日/周/月内即计一次；按各事项的起止时间推算。',
    en: 'Counted when a step entered warning (80 % of its limit used), yellow (overdue) or red (overdue by the limit again) within the day, week or month, computed from each step’s times.',
  },
  'supervision.listing': { zh: '项目', en: 'Listing' },
  'supervision.township': { zh: '乡镇', en: 'Township' },
  'supervision.step': { zh: '环节', en: 'Step' },
  'supervision.dueAt': { zh: '办理时限', en: 'Due' },
  'supervision.level': { zh: '等级', en: 'Level' },
  'supervision.step.open': { zh: '开标', en: 'Open bids' },
  'supervision.step.award': { zh: '确定成交', en: 'Award' },
  'supervision.step.objection': { zh: '答复异议', en: 'Answer objection' },
  'supervision.step.contract': { zh: '签订合同', en: 'Contract' },
  'supervision.level.warning': { zh: '预警', en: 'Warning' },
  'supervision.level.yellow': { zh: '黄牌', en: 'Yellow card' },
  'supervision.level.red': { zh: '红牌', en: 'Red card' },
  'supervision.period.day': { zh: '今日', en: 'Today' },
  'supervision.period.week': { zh: '本周', en: 'This week' },
  'supervision.period.month': { zh: '本月', en: 'This month' },
  'supervision.counts': {
    zh: '预警 {warning}，黄牌 {yellow}，红牌 {red}',
    en: '{warning} warnings, {yellow} yellow, {red} red',
  },
  'supervision.rulesNote': {
    zh: '时限：截止后 {openHours} 小时内开标；开标后 {awardDays} 个工作日内确定成交；异议 3 个工作日内答复；公示期满 {contractDays} 日内签订合同。',
    en: 'Limits: open within {openHours} h after the deadline; award within {awardDays} working days of opening; answer objections within 3 working days; contract within {contractDays} days after publicity.',
  },
  'supervision.calendar': { zh: '工作日历', en: 'Working-day calendar' },
});
