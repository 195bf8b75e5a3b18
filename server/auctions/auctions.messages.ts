import { defineMessages } from '../http/i18n';
import '../bids/bids.messages'; // BIDDING_NOT_OPEN, BIDDING_CLOSED, NOT_REGISTERED, NOT_CLOSED

export const auctionsMessages = defineMessages({
  'error.INVALID_INCREMENT': {
    zh: '出价不符合加价幅度。',
    en: 'The bid is not on the increment grid.',
  },
  'error.INVALID_INCREMENT.lease': {
    zh: '出价须为起始价 {basePrice} 加整数倍的加价幅度 {increment}。',
    en: 'A bid must be the starting price {basePrice} plus a whole number of increments of {increment}.',
  },
  'error.INVALID_INCREMENT.procurement': {
    zh: '报价须为最高限价 {basePrice} 减整数倍的降价幅度 {increment}。',
    en: 'An offer must be the ceiling {basePrice} minus a whole number of decrements of {increment}.',
  },
  'error.BID_NOT_BETTER': {
    zh: '出价未优于当前最优价一个幅度：当前最低有效出价为 {nextMin}。',
    en: 'The bid does not beat the current best by one increment: the least valid bid is now {nextMin}.',
  },
  'error.BID_NOT_BETTER.floor': {
    zh: '报价已降至最低，不能再降。',
    en: 'The offer has reached the floor; no lower offer is possible.',
  },
  'error.ALREADY_LEADING': {
    zh: '您已是当前最高（最优）出价人，无需再出价。',
    en: 'You already hold the best bid; you may not outbid yourself.',
  },
  'auctions.notSealed': {
    zh: '本项目采用网络竞价，请在竞价室出价。',
    en: 'This listing is sold by open auction: bid in the auction room.',
  },
  'notify.auctionClosed': {
    zh: '项目 {code}「{title}」网络竞价已结束，请查看竞价结果。',
    en: 'The open auction for {code} “{title}” has closed.',
  },
  'notify.auctionFailed': {
    zh: '项目 {code}「{title}」网络竞价无人出价，已流标。',
    en: 'The open auction for {code} “{title}” received no bid and failed.',
  },
  // pages
  'auctions.room': { zh: '网络竞价室', en: 'Auction room' },
  'auctions.method': { zh: '交易方式', en: 'Method' },
  'auctions.method.sealed': { zh: '密封报价', en: 'Sealed offers' },
  'auctions.method.auction': { zh: '网络竞价', en: 'Open auction' },
  'auctions.rising': { zh: '增价竞价（价高者得）', en: 'Rising (highest wins)' },
  'auctions.falling': { zh: '减价竞价（价低者得）', en: 'Falling (lowest wins)' },
  'auctions.best': { zh: '当前最优价', en: 'Best bid' },
  'auctions.bestBy': { zh: '出价人', en: 'Bidder' },
  'auctions.noBid': { zh: '暂无出价', en: 'No bid yet' },
  'auctions.startAt': { zh: '起始价', en: 'Starting price' },
  'auctions.increment': { zh: '加价幅度', en: 'Increment' },
  'auctions.decrement': { zh: '降价幅度', en: 'Decrement' },
  'auctions.extension': { zh: '限时竞价', en: 'Extension window' },
  'auctions.extensionRule': {
    zh: '结束前 {seconds} 秒内有人出价，结束时间自动延长至该出价时刻后 {seconds} 秒，直至 {seconds} 秒内无人出价。',
    en: 'A bid in the last {seconds} s moves the end to {seconds} s after that bid, until {seconds} s pass with no bid.',
  },
  'auctions.gridRule': {
    zh: '每次出价须为起始价加（减）整数倍幅度，并优于当前最优价至少一个幅度；同价以先出价者为准。',
    en: 'Every bid is the starting price plus (minus) whole increments and beats the best by at least one; equal amounts go to the earlier bid.',
  },
  'auctions.depositRule': {
    zh: '须先报名并缴纳保证金 {deposit}，经工作人员确认后方可出价；未成交者保证金予以退还。',
    en: 'Register and pay the deposit of {deposit}; bid once staff confirm it. Deposits of the others are refunded.',
  },
  'auctions.noDepositRule': { zh: '本项目无需保证金，登录后即可出价。', en: 'No deposit: sign in and bid.' },
  'auctions.aliasRule': {
    zh: '竞价期间出价人以竞买号显示，不显示姓名。',
    en: 'Bidders appear by number (竞买号), never by name, during the auction.',
  },
  'auctions.endsAt': { zh: '结束时间', en: 'Ends at' },
  'auctions.timeLeft': { zh: '剩余时间', en: 'Time left' },
  'auctions.extended': { zh: '已延时', en: 'Extended' },
  'auctions.nextMin': { zh: '最低有效出价', en: 'Least valid bid' },
  'auctions.yourBid': { zh: '我的出价（元）', en: 'My bid (yuan)' },
  'auctions.raise': { zh: '出价', en: 'Bid' },
  'auctions.confirmTitle': { zh: '请确认出价', en: 'Confirm your bid' },
  'auctions.confirm': { zh: '确认出价', en: 'Confirm bid' },
  'auctions.back': { zh: '返回修改', en: 'Back' },
  'auctions.inWords': { zh: '大写', en: 'In words' },
  'auctions.accepted': { zh: '出价成功：{amount}（{alias}）', en: 'Bid accepted: {amount} ({alias})' },
  'auctions.myAlias': { zh: '我的竞买号', en: 'My bidder number' },
  'auctions.youLead': { zh: '您当前领先', en: 'You are leading' },
  'auctions.history': { zh: '出价记录', en: 'Bid history' },
  'auctions.bidCount': { zh: '出价次数', en: 'Bids' },
  'auctions.at': { zh: '出价时间', en: 'Time' },
  'auctions.amount': { zh: '金额', en: 'Amount' },
  'auctions.refresh': { zh: '刷新', en: 'Refresh' },
  'auctions.notOpenYet': { zh: '竞价尚未开始', en: 'Bidding has not started' },
  'auctions.over': { zh: '竞价已结束', en: 'The auction is over' },
  'auctions.live': { zh: '竞价中', en: 'Live' },
  'auctions.signInToBid': { zh: '登录后出价', en: 'Sign in to bid' },
  'auctions.registerFirst': { zh: '请先报名并缴纳保证金', en: 'Register and pay the deposit first' },
  'auctions.console': { zh: '竞价监控', en: 'Auction console' },
  'auctions.close': { zh: '结束竞价并生成结果', en: 'Close and record the result' },
  'auctions.closeNotYet': {
    zh: '竞价结束后方可生成结果。',
    en: 'The result can be recorded once the auction is over.',
  },
  'auctions.result': { zh: '竞价结果', en: 'Auction result' },
  'auctions.rank': { zh: '名次', en: 'Rank' },
  'auctions.liveOnBoard': { zh: '正在进行的网络竞价', en: 'Live auctions' },
});
