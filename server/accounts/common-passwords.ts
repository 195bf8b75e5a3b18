// The most common passwords of ten characters or more, from public breach-corpus rankings
// (including the Chinese favourites). Compared case-insensitively.
export const COMMON_PASSWORDS = new Set([
  '1234567890', '0123456789', '0987654321', '9876543210', '1111111111', '0000000000', '2222222222',
  '5555555555', '6666666666', '8888888888', '9999999999', '1234512345', '1122334455', '1357924680',
  '12345678910', '123456789a', 'a123456789', '123456789q', 'q123456789', '1q2w3e4r5t', '1qaz2wsx3edc',
  'qwertyuiop', 'qwerty1234', 'qwerty12345', 'qwerty123456', 'asdfghjkl;', 'asdfghjkl1', 'zxcvbnm123',
  'password12', 'password123', 'password1234', 'passw0rd123', 'p@ssw0rd123', 'password!', 'iloveyou12',
  'iloveyou123', 'abcdefghij', 'abc1234567', 'abcd123456', 'aa12345678', 'aa123456789', 'woaini1314',
  'woaini520520', '5201314520', '1314520520', '5201314000', 'qq123456789', 'admin12345', 'admin123456',
  'administrator', 'welcome123', 'letmein123', 'football123', 'baseball123', 'princess123', 'sunshine123',
  'dragon1234', 'monkey12345', 'superman123', 'trustno1trustno1', 'changeme123', 'zaq12wsxcde', '1qazxsw23edc',
  '123qweasdzxc', 'qweasdzxc123', 'qazwsxedcrfv', 'a1b2c3d4e5', '11223344556', '147258369', '1472583690',
  '3141592653', 'abcabcabc123', 'zhang123456', 'wang1234567', 'li123456789', 'admin@123456', 'root123456',
  'test123456', 'user123456', 'guest123456', '00000000000', '11111111111', '123123123123', '1231231231',
  'qwer123456', 'asd1234567', 'wpsoffice123',
]);
