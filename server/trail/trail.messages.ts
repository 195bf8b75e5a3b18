import { defineMessages } from '../http/i18n';

export const trailMessages = defineMessages({
  'trail.seqFromOne': { zh: '序号从 1 开始', en: 'entries are numbered from 1' },
  'trail.beyondLog': { zh: '超出审计日志现有条数（{size}）', en: 'beyond the log, which has {size} entries' },
  'trail.seqBeyondSize': { zh: '序号不能大于树的大小（{size}）', en: 'must not exceed the tree size ({size})' },
  'trail.fromAfterTo': { zh: '不能大于 to（{to}）', en: 'must not exceed to ({to})' },
  'trail.sizeAndRoot': { zh: 'size 与 root 须同时提供', en: 'give both size and root, or neither' },
  'trail.dailyLine': {
    zh: '{day} 审计日志检查点：共 {size} 条，根 {root}',
    en: '{day} audit log checkpoint: {size} entries, root {root}',
  },
  'trail.signedLine': {
    zh: '截至 {at}（{atIso}），Ed25519 签名 {signature}，公钥指纹 {fingerprint}',
    en: 'As of {at} ({atIso}), Ed25519 signature {signature}, key fingerprint {fingerprint}',
  },
});
