import { Kysely, sql } from 'kysely';

// How a township takes deposits (保证金), stated on every announcement that asks for one and told to a
// bidder right after 报名: the account to pay into, how many hours before the bid deadline the money
// must have arrived (so staff can confirm it before bidding closes), and the refund rule.
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
ALTER TABLE township_rules
  ADD COLUMN deposit_account text NOT NULL DEFAULT '',
  ADD COLUMN deposit_due_hours integer NOT NULL DEFAULT 24,
  ADD COLUMN deposit_refund_rule text NOT NULL
    DEFAULT '未成交的竞买人，保证金在确定成交后 5 个工作日内无息原路退还；成交人的保证金转为履约保证金。',
  ADD CONSTRAINT township_rules_deposit_due_hours_check CHECK (deposit_due_hours BETWEEN 0 AND 720),
  ADD CONSTRAINT township_rules_deposit_account_length_check CHECK (length(deposit_account) <= 500),
  ADD CONSTRAINT township_rules_deposit_refund_rule_length_check CHECK (length(deposit_refund_rule) <= 500);
`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
ALTER TABLE township_rules
  DROP COLUMN deposit_account,
  DROP COLUMN deposit_due_hours,
  DROP COLUMN deposit_refund_rule;
`,
    )
    .execute(db);
}
