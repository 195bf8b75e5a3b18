// Demo only: these passwords are printed at start-up and listed in the README.
export const DEMO_DISTRICT = '吉州区';

export const DEMO_TOWNSHIPS = [
  { code: 'XQ', name: '兴桥镇', district: DEMO_DISTRICT },
  { code: 'CT', name: '长塘镇', district: DEMO_DISTRICT },
  { code: 'QL', name: '曲濑镇', district: DEMO_DISTRICT },
] as const;

export const DEMO_ACCOUNTS = [
  { username: 'admin', password: 'jizhou-admin-2026', role: 'admin', township: null, name: '吉州区管理员' },
  { username: 'xq_staff', password: 'xingqiao-staff-2026', role: 'staff', township: 'XQ', name: '兴桥镇交易站' },
  { username: 'ct_staff', password: 'changtang-staff-2026', role: 'staff', township: 'CT', name: '长塘镇交易站' },
  { username: 'ql_staff', password: 'qulai-staff-2026', role: 'staff', township: 'QL', name: '曲濑镇交易站' },
  { username: 'auditor', password: 'jizhou-audit-2026', role: 'auditor', township: null, name: '区纪委监委审计员' },
  // a second key holder from outside the townships: a lost or reset password never strands a listing (quorum 2)
  {
    username: 'auditor2',
    password: 'jizhou-supervise-2026',
    role: 'auditor',
    township: null,
    name: '区纪委监委监督员',
  },
  {
    username: 'bidder1',
    password: 'bidder-demo-2026',
    role: 'bidder',
    township: null,
    name: '刘建国（个体）',
    idNumber: '360802198001011234',
    phone: '13907960001',
  },
  {
    username: 'bidder2',
    password: 'bidder-demo-2026',
    role: 'bidder',
    township: null,
    name: '吉安市兴旺建筑有限公司',
    idNumber: '91360802MA35XXXX1K',
    phone: '13907960002',
  },
  {
    username: 'bidder3',
    password: 'bidder-demo-2026',
    role: 'bidder',
    township: null,
    name: '曾小红家庭农场',
    idNumber: '360802199205054321',
    phone: '13907960003',
  },
] as const;
