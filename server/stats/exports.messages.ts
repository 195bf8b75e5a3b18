import { defineMessages } from '../http/i18n';

export const exportsMessages = defineMessages({
  'exports.sheet': { zh: '成交项目', en: 'Deals' },
  'exports.col.code': { zh: '项目编号', en: 'Code' },
  'exports.col.township': { zh: '乡镇', en: 'Township' },
  'exports.col.kind': { zh: '交易类型', en: 'Kind' },
  'exports.col.category': { zh: '项目类别', en: 'Category' },
  'exports.col.title': { zh: '项目名称', en: 'Title' },
  'exports.col.basePrice': { zh: '最高限价/底价（元）', en: 'Ceiling / reserve (CNY)' },
  'exports.col.amount': { zh: '成交金额（元）', en: 'Award amount (CNY)' },
  'exports.col.savings': { zh: '增收节资（元）', en: 'Gain / savings (CNY)' },
  'exports.col.savingsRate': { zh: '增收节资率', en: 'Rate' },
  'exports.col.winner': { zh: '成交人', en: 'Winner' },
  'exports.col.publishedAt': { zh: '公告发布时间', en: 'Published' },
  'exports.col.awardedAt': { zh: '成交时间', en: 'Awarded' },
  'exports.col.contractSignedAt': { zh: '合同签订时间', en: 'Contract signed' },
  'exports.col.priceBasis': { zh: '计价方式', en: 'Price basis' },
  'exports.col.leaseTermMonths': { zh: '租期（月）', en: 'Lease term (months)' },
  'exports.col.termAmount': { zh: '全期成交金额（元）', en: 'Award over the whole term (CNY)' },
});
