import { defineMessages } from '../http/i18n';

export const accountMessages = defineMessages({
  'error.INVALID_CREDENTIALS': { zh: '用户名或密码不正确。', en: 'Wrong username or password.' },
  'error.USERNAME_TAKEN': { zh: '该用户名已被注册。', en: 'That username is taken.' },
  'password.tooShort': {
    zh: '密码至少 10 个字符（可以用一句好记的话）。',
    en: 'The password needs at least 10 characters (a memorable phrase works).',
  },
  'password.tooLong': { zh: '密码不能超过 128 个字符。', en: 'The password may not exceed 128 characters.' },
  'password.common': {
    zh: '这个密码太常见，容易被猜中，请换一个。',
    en: 'That password is too common; choose another.',
  },
  'accounts.username': { zh: '用户名', en: 'Username' },
  'accounts.usernameRule': { zh: '3–40 个字母、数字或 _ . @ -', en: '3–40 letters, digits or _ . @ -' },
  'accounts.password': { zh: '密码', en: 'Password' },
  'accounts.passwordHint': { zh: '至少 10 个字符，不限字符种类。', en: 'At least 10 characters, any kind.' },
  'accounts.name': { zh: '姓名/单位名称', en: 'Name / company' },
  'accounts.idNumber': { zh: '身份证号/统一社会信用代码', en: 'ID number / credit code' },
  'accounts.phone': { zh: '手机号码', en: 'Phone' },
  'accounts.role': { zh: '角色', en: 'Role' },
  'accounts.township': { zh: '所属乡镇', en: 'Township' },
  'accounts.townshipRequired': { zh: '工作人员必须绑定一个乡镇。', en: 'Staff must belong to a township.' },
  'accounts.townshipUnknown': { zh: '没有这个乡镇。', en: 'No such township.' },
  'accounts.loginTitle': { zh: '登录', en: 'Sign in' },
  'accounts.registerTitle': { zh: '竞买人注册', en: 'Register as a bidder' },
  'accounts.registered': { zh: '注册成功，请登录。', en: 'Registered. Please sign in.' },
  'accounts.usersTitle': { zh: '用户管理', en: 'Users' },
  'accounts.addUser': { zh: '新增用户', en: 'Add user' },
  'accounts.userCreated': { zh: '用户已创建。', en: 'User created.' },
  'accounts.noAccount': { zh: '还没有账号？', en: 'No account yet?' },
  'accounts.haveAccount': { zh: '已有账号？', en: 'Already have an account?' },
  'accounts.signInToContinue': {
    zh: '请先登录，登录后回到您刚才的页面。还没有账号？注册免费，只需填写姓名、身份证号和手机号。',
    en: 'Please sign in first; you will come back to this page. No account yet? Registering is free: your name, ID number and phone.',
  },
  'accounts.signedOut': { zh: '您已退出登录。', en: 'You are signed out.' },
});
