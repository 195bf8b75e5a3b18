import { defineMessages } from '../http/i18n';

// How a receipt is shown to a person: 64 hex characters mean nothing to a villager, so the page
// leads with the first 16 in groups of four (easy to copy onto paper or read out on the phone)
// and keeps the full value beside it for whoever checks it against the opening record.

/** "a1b2c3d4e5f60718…" → "a1b2 c3d4 e5f6 0718". */
export function shortReceipt(receipt: string): string {
  return (receipt.slice(0, 16).match(/.{1,4}/g) ?? []).join(' ');
}

export function receiptView(receipt: string) {
  return { full: receipt, short: shortReceipt(receipt) };
}

defineMessages({
  'bids.receiptShort': { zh: '回执码（前 16 位）', en: 'Receipt code (first 16 characters)' },
  'bids.receiptFull': { zh: '完整回执（64 位）', en: 'Full receipt (64 characters)' },
  'bids.receiptWhat': {
    zh: '回执码是这次报价的凭证。请把上面分成四组的 16 位数字和字母抄在纸上，或打印本页保存。开标时，开标记录会公布每一份报价的回执：在其中找到和您抄下的相同的一条，就说明您的报价原样参加了开标。',
    en: 'The receipt code is proof of this bid. Copy the 16 letters and digits above (four groups) onto paper, or print this page. At the opening the record lists the receipt of every bid: find the one that matches what you wrote down, and you know your bid was opened exactly as you sent it.',
  },
  'bids.receiptTitle': { zh: '报价回执', en: 'Bid receipt' },
});
