import { defineMessages, Lang, t } from '../http/i18n';
import { Decimal, displayMoney } from '../http/money';
import { displayDateTime } from '../http/time';
import { DepositTerms, depositDueAt } from './townships';

// What a bidder needs to pay a deposit (保证金): how (transfer or at the window, with what note), where
// (the township's account) and by when (hours before the bid deadline, so staff can confirm it in time),
// and how it comes back. Shown on the announcement and on the bid page right after 报名.

export interface DepositListing {
  code: string;
  depositAmount: Decimal;
  bidDeadline: Date;
}

export function depositView(listing: DepositListing, terms: DepositTerms, townshipName: string, lang: Lang) {
  const amount = displayMoney(listing.depositAmount);
  return {
    amountText: amount,
    account: terms.account,
    hasAccount: terms.account.trim() !== '',
    dueText: displayDateTime(depositDueAt(listing.bidDeadline, terms)),
    dueHours: terms.dueHours,
    refundRule: terms.refundRule,
    how: t(lang, terms.account.trim() ? 'deposit.howTransfer' : 'deposit.howWindow', {
      amount,
      code: listing.code,
      township: townshipName,
    }),
  };
}

defineMessages({
  'deposit.title': { zh: '保证金怎么交', en: 'How to pay the deposit' },
  'deposit.amount': { zh: '保证金金额', en: 'Deposit' },
  'deposit.account': { zh: '收款账户', en: 'Pay into' },
  'deposit.due': { zh: '到账截止', en: 'Must arrive by' },
  'deposit.dueNote': {
    zh: '（报价截止前 {hours} 小时，以便工作人员确认）',
    en: '({hours} hours before the bid deadline, so staff can confirm it)',
  },
  'deposit.refund': { zh: '退还规则', en: 'Refund' },
  'deposit.howTransfer': {
    zh: '请将保证金 {amount} 转账到下面的账户，附言写明项目编号 {code} 和您的姓名；也可带身份证到{township}便民服务中心交易站窗口缴纳。工作人员确认到账后，您就可以报价。',
    en: 'Transfer the deposit of {amount} to the account below, with the listing code {code} and your name as the note, or pay at the trading desk of the {township} service centre (bring your ID). Once staff confirm it has arrived you can bid.',
  },
  'deposit.howWindow': {
    zh: '请带身份证到{township}便民服务中心交易站窗口缴纳保证金 {amount}，并说明项目编号 {code}。工作人员确认到账后，您就可以报价。',
    en: 'Pay the deposit of {amount} at the trading desk of the {township} service centre (bring your ID) and give the listing code {code}. Once staff confirm it has arrived you can bid.',
  },
  'rules.deposit': { zh: '保证金', en: 'Deposits' },
  'rules.depositAccount': {
    zh: '收款账户（户名、开户行、账号）',
    en: 'Account (payee, bank, account number)',
  },
  'rules.depositDueHours': {
    zh: '保证金须在报价截止前多少小时到账',
    en: 'Deposit must arrive this many hours before the bid deadline',
  },
  'rules.depositRefundRule': { zh: '退还规则', en: 'Refund rule' },
});
