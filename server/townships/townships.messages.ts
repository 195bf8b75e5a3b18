import { defineMessages } from '../http/i18n';

export const townshipMessages = defineMessages({
  'error.CODE_TAKEN': { zh: '该乡镇代码已被使用。', en: 'That township code is already taken.' },
  'townships.bandInverted': { zh: '最低金额不能高于最高金额。', en: 'The minimum may not exceed the maximum.' },
  'townships.title': { zh: '乡镇与交易规则', en: 'Townships and rules' },
  'townships.code': { zh: '代码', en: 'Code' },
  'townships.name': { zh: '名称', en: 'Name' },
  'townships.district': { zh: '所属区县', en: 'District' },
  'townships.add': { zh: '新增乡镇', en: 'Add township' },
  'townships.rules': { zh: '交易规则', en: 'Rules' },
  'townships.saved': { zh: '已保存。', en: 'Saved.' },
  'rules.procurement': { zh: '采购/小型工程', en: 'Procurement' },
  'rules.lease': { zh: '出租/发包', en: 'Lease' },
  'rules.minAmount': { zh: '进站最低金额（元）', en: 'Minimum (yuan)' },
  'rules.maxAmount': {
    zh: '乡镇最高限额（元，超出进县中心）',
    en: 'Township maximum (yuan; above goes to the county centre)',
  },
  'rules.minValidBids': { zh: '最少有效报价数', en: 'Minimum valid bids' },
  'rules.minNoticeDays': { zh: '最短公告期（天）', en: 'Minimum notice (days)' },
  'rules.publicityDays': { zh: '公示期（天）', en: 'Publicity (days)' },
  'rules.openWithinHours': { zh: '截止后开标时限（小时）', en: 'Open within (hours after deadline)' },
  'rules.awardWithinDays': { zh: '开标后定标时限（工作日）', en: 'Award within (working days)' },
  'rules.contractWithinDays': { zh: '公示后签约时限（天）', en: 'Contract within (days after publicity)' },
  'rules.openingQuorum': {
    zh: '开标所需密钥持有人确认数（≥2 时须含一名审计监督人）',
    en: 'Key holders needed to open (with 2 or more, one must be an auditor)',
  },
  'action.save': { zh: '保存', en: 'Save' },
});
