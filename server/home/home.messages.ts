import { defineMessages } from '../http/i18n';

export const homeMessages = defineMessages({
  'home.welcome': { zh: '小额交易 公开进站 阳光操作', en: 'Small public deals, traded in the open' },
  'home.intro': {
    zh: '本站办理乡镇范围内使用财政或集体资金的小型工程、物资采购，以及集体资产的出租、发包。所有报价密封至开标，结果公开公示，全程留痕可查。',
    en: 'This station trades small works and purchases paid with public or collective money, and leases of collective property. Bids stay sealed until opening, results are published, and every step leaves a trail.',
  },
  'home.forBidders': { zh: '我要报名/报价', en: 'I want to bid' },
  'home.seeBoard': { zh: '查看公开栏', en: 'See the board' },
  'home.adminDesk': { zh: '区级管理', en: 'District administration' },
  'home.staffDesk': { zh: '交易站工作台', en: 'Trading staff desk' },
  'home.auditorDesk': { zh: '审计监督工作台', en: 'Auditor workspace' },
  'home.bidderDesk': { zh: '我的交易', en: 'My deals' },
  'home.manageTownships': { zh: '乡镇与交易规则', en: 'Townships and rules' },
  'home.manageUsers': { zh: '用户管理', en: 'Users' },
  'home.signedInAs': { zh: '当前用户：{name}（{role}）', en: 'Signed in as {name} ({role})' },
});
