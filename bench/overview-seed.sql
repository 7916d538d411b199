-- A year of life in the space 'overviewbench' (run by bench/overview, after seed_space made
-- its 10,000 members): members joined over two years, 8 categories, 2,000 listings, 20,000
-- skills, 100,000 single transfers (5,000 grants from the space account, 95,000 gifts between
-- members) and 5,000 trades (a hold and its payment each, with the trade's row), all at
-- moments spread over the last 52 weeks and all through ledger_apply, so balances and
-- `swapdesk ledger verify` stay whole. Who trades is skewed (a few members trade a lot), as
-- in a real space, so the exchange network has a busy core. setseed makes it repeatable.
\set ON_ERROR_STOP on
select setseed(0.42);

create temporary table bench_members as
select row_number() over (order by m.id) - 1 as n, m.id as membership_id, a.id as account_id
from memberships m
join spaces s on s.id = m.space_id and s.slug = 'overviewbench'
join ledger_accounts a on a.membership_id = m.id
where m.role = 'member';
create unique index on bench_members (n);
select count(*) as members from bench_members \gset
select id as space_id from spaces where slug = 'overviewbench' \gset
select id as system_account from ledger_accounts where space_id = :space_id and kind = 'system' \gset

update memberships m set created_at = now() - make_interval(days => (random() * 730)::int)
from bench_members b where b.membership_id = m.id;

insert into skill_categories (space_id, name)
select :space_id, c from unnest(array['Design', 'Development', 'Writing', 'Legal', 'Finance',
                                      'Marketing', 'Photography', 'Coaching']) c
on conflict do nothing;
create temporary table bench_categories as
select row_number() over (order by id) - 1 as n, id from skill_categories where space_id = :space_id;

-- Two skills each, from a list of 40 names, in their category.
insert into skills (space_id, membership_id, category_id, name, level)
select :space_id, b.membership_id, c.id,
       (array['Logo design','Brand identity','UX review','Illustration','Print layout',
              'Rust','TypeScript','Postgres tuning','iOS apps','Website fixes',
              'Copywriting','Proofreading','Grant applications','Technical writing','Translation',
              'Contract review','Incorporation','Trademarks','Employment law','Privacy policies',
              'Bookkeeping','Tax returns','Financial modelling','Invoicing setup','Pricing advice',
              'SEO','Social media','Paid ads','Email marketing','Market research',
              'Product photography','Headshots','Event photography','Photo retouching','Video editing',
              'Career coaching','Pitch coaching','Public speaking','CV review','Mentoring'])[1 + k.s],
       (array['learning','practised','expert'])[1 + (b.n + k.i) % 3]
from bench_members b
cross join lateral (select i, ((b.n * 7 + i * 13) % 40) as s from generate_series(0, 1) i) k
join bench_categories c on c.n = k.s / 5
on conflict do nothing;

insert into listings (space_id, membership_id, kind, title, category_id, price_mode, price,
                      created_at, updated_at)
select :space_id, b.membership_id, case when i % 4 = 0 then 'request' else 'offer' end,
       'Listing ' || i, c.id, 'fixed', 100 * (1 + i % 20),
       now() - make_interval(hours => (random() * 8760)::int),
       now()
from generate_series(1, 2000) i
join bench_members b on b.n = (i * 37) % :members
join bench_categories c on c.n = i % 8;

-- A skewed pick: member floor(members * u^3) for u uniform, so low numbers trade most.
create function pg_temp.pick(p_members int) returns int language sql volatile as
$$ select least(floor(p_members * power(random(), 3))::int, p_members - 1) $$;

create temporary table bench_transfers as
select i, md5('overview-transfer-' || i)::uuid as id,
       case when i <= 5000 then 'grant' else 'gift' end as code,
       pg_temp.pick(:members) as payer, pg_temp.pick(:members) as payee,
       100 * (1 + (random() * 9)::int) as amount,
       now() - make_interval(secs => (random() * 364 * 86400)::int) as at
from generate_series(1, 100000) i;
update bench_transfers set payee = (payee + 1) % :members where payer = payee and code = 'gift';

-- In batches, each its own transaction: ledger_apply takes an advisory lock per id, held to
-- the end of the transaction, and 100,000 of them would not fit PostgreSQL's lock table.
create temporary table bench_outcomes (status text);
select format($q$insert into bench_outcomes
  select r.status from (select * from bench_transfers where i between %s and %s order by at) t
  join bench_members pa on pa.n = t.payer
  join bench_members pe on pe.n = t.payee
  cross join lateral ledger_apply(t.id, %s, 'single', t.code,
      case when t.code = 'grant' then %s else pa.account_id end, pe.account_id,
      t.amount, null, null, null, null, '', sha256(t.id::text::bytea), false, t.at) r$q$,
  lo, lo + 1999, :space_id, :system_account)
from generate_series(1, 100000, 2000) lo \gexec
select status, count(*) from bench_outcomes group by status;

-- 5,000 trades on listings: held, then paid up to two days later.
create temporary table bench_trades as
select i, l.id as listing_id, l.membership_id as payee, b.membership_id as payer,
       pe.account_id as payee_account, b.account_id as payer_account,
       l.price as amount, md5('overview-hold-' || i)::uuid as hold_id,
       md5('overview-post-' || i)::uuid as post_id,
       now() - make_interval(secs => (random() * 364 * 86400)::int) as held_at
from (select i, pg_temp.pick(:members) as payer_n from generate_series(1, 5000) i) g(i, payer_n)
join listings l on l.space_id = :space_id and l.title = 'Listing ' || (1 + (g.i * 7) % 2000)
join bench_members b on b.n = g.payer_n
join bench_members pe on pe.membership_id = l.membership_id
where b.membership_id <> l.membership_id;

-- Holds first, then payments: a statement does not see the holds it wrote itself.
truncate bench_outcomes;
select format($q$insert into bench_outcomes
  select 'hold ' || h.status from (select * from bench_trades where i between %s and %s order by held_at) t
  cross join lateral ledger_apply(t.hold_id, %s, 'pending', 'trade', t.payer_account,
      t.payee_account, t.amount, null, null, null, null, '', sha256(t.hold_id::text::bytea), false,
      t.held_at) h$q$,
  lo, lo + 1999, :space_id)
from generate_series(1, 5000, 2000) lo \gexec
select format($q$insert into bench_outcomes
  select 'payment ' || p.status from (select * from bench_trades where i between %s and %s order by held_at) t
  cross join lateral ledger_apply(t.post_id, %s, 'post', null, null, null, null, t.hold_id,
      null, null, null, '', sha256(t.post_id::text::bytea), false,
      least(now(), t.held_at + make_interval(hours => 1 + (t.i %% 48)))) p$q$,
  lo, lo + 1999, :space_id)
from generate_series(1, 5000, 2000) lo \gexec
select status as trades, count(*) from bench_outcomes group by status;

insert into trades (space_id, listing_id, payer_id, payee_id, proposer_id, state, description,
                    amount, accept_attempts, hold_id, settled_id, created_at, updated_at)
select :space_id, t.listing_id, t.payer, t.payee, t.payer, 'completed', 'Bench trade ' || t.i,
       t.amount, 1, t.hold_id, t.post_id, t.held_at, t.held_at
from bench_trades t;

-- Limits as a space sets them: 50 credits, or what a member already owes past that.
update ledger_accounts a
set credit_limit = greatest(5000, a.debits_posted + a.debits_pending - a.credits_posted)
from bench_members b where b.account_id = a.id;

analyze;
