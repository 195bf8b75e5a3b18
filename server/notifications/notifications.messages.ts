import { defineMessages } from '../http/i18n';
// The message texts themselves live with the concept that sends them (awards.messages, bids.messages …),
// which every app loads with its routers; importing them here would make the inbox depend on every sender.

export const notificationsMessages = defineMessages({
  'inbox.title': { zh: '我的消息', en: 'My messages' },
  'inbox.empty': { zh: '暂无消息。', en: 'No messages yet.' },
  'inbox.unread': { zh: '未读', en: 'unread' },
  'inbox.markRead': { zh: '标为已读', en: 'Mark as read' },
  'inbox.viewListing': { zh: '查看项目', en: 'View listing' },
  'inbox.viewResult': { zh: '查看成交公示', en: 'View result' },
  'nav.inbox': { zh: '消息', en: 'Messages' },
  'nav.unread': { zh: '（{n} 条未读）', en: ' ({n} unread)' },
});
