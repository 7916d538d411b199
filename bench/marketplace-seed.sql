-- 10,000 listings and 1,000 trades in the space 'marketbench' (run by bench/marketplace,
-- after seed_space made its members). Titles and descriptions are drawn from small
-- realistic lists. Trades are inserted directly, for the page mix, with their timelines,
-- threads and kudos; their holds, payments and releases go through ledger_apply, so the
-- ledger stays whole and `swapdesk ledger verify` passes.
--
-- Members 1 to 16 are the load's clients: each is a party to 30 trades (ids 1 to 480)
-- and owns no listing. Members 17 to 48 are the life-cycle pairs.
\set ON_ERROR_STOP on
begin;

insert into skill_categories (space_id, name)
select s.id, c from spaces s,
     unnest(array['Design', 'Development', 'Writing', 'Legal', 'Finance', 'Marketing',
                  'Photography', 'Coaching']) c
where s.slug = 'marketbench'
on conflict do nothing;

-- Every tenth member is in today, for the "here today" filter.
update memberships m set here_on = current_date
from spaces s where s.id = m.space_id and s.slug = 'marketbench' and m.id % 10 = 0;

create temporary table bench_members as
select m.id as membership_id, a.id as account_id,
       substring(p.email from 'member([0-9]+)@')::int as n
from memberships m
join spaces s on s.id = m.space_id and s.slug = 'marketbench'
join people p on p.id = m.person_id
join ledger_accounts a on a.membership_id = m.id and a.kind = 'member'
where p.email like 'member%@marketbench.bench';
create index on bench_members (n);
select count(*) as owners_from from bench_members where n > 16 \gset

with skills(cat, skill) as (values
  ('Design','Logo design'),('Design','Brand identity'),('Design','Figma prototyping'),('Design','Packaging design'),
  ('Design','UX review'),('Design','Illustration'),('Design','Print layout'),
  ('Development','Rust'),('Development','TypeScript'),('Development','Postgres tuning'),('Development','iOS apps'),
  ('Development','Website fixes'),('Development','Python scripting'),('Development','Kubernetes'),('Development','WordPress'),
  ('Writing','Copywriting'),('Writing','Proofreading'),('Writing','Grant applications'),('Writing','Technical writing'),
  ('Writing','Newsletters'),('Writing','Translation'),
  ('Legal','Contract review'),('Legal','Incorporation'),('Legal','Trademarks'),('Legal','Employment law'),('Legal','Privacy policies'),
  ('Finance','Bookkeeping'),('Finance','Tax returns'),('Finance','Financial modelling'),('Finance','Invoicing setup'),('Finance','Pricing advice'),
  ('Marketing','SEO'),('Marketing','Social media'),('Marketing','Paid ads'),('Marketing','Email marketing'),('Marketing','Market research'),
  ('Photography','Product photography'),('Photography','Headshots'),('Photography','Event photography'),('Photography','Photo retouching'),
  ('Photography','Video editing'),
  ('Coaching','Career coaching'),('Coaching','Pitch coaching'),('Coaching','Public speaking'),('Coaching','CV review'),
  ('Coaching','Leadership coaching'),('Coaching','Mentoring')),
numbered as (select row_number() over () - 1 as k, cat, skill from skills),
total as (select count(*) as c from numbered),
lists as (select
  array['small cafés','startups','freelancers','local shops','non-profits','first-time founders',
        'podcasters','online stores','architects','yoga studios','bakeries','game studios'] as audience,
  array['my bakery','our app launch','a charity website','my new studio','our team page',
        'a book cover','my online shop','our annual report','a conference talk','my portfolio'] as thing,
  array['Quick turnaround, usually within the week.','I work from the second floor most days; come and say hello.',
        'Ten years of doing this for clients big and small.','Happy to start with a free 15-minute chat.',
        'I can work from your notes, a call or a sketch on a napkin.','Two rounds of changes included.',
        'Weekday mornings suit me best.','References from other members on request.',
        'Plain language, no jargon, and a written summary at the end.','I bring my own laptop and coffee.'] as extra)
insert into listings (space_id, membership_id, kind, title, description, category_id, price_mode,
                      price, hours_estimate, status, expires_at, created_at, updated_at)
select s.id, o.membership_id,
       case when i % 10 < 7 then 'offer' else 'request' end,
       case when i % 10 < 7
            then x.skill || ' for ' || l.audience[1 + (i / 7) % 12]
            else 'Need help with ' || lower(x.skill) || ' for ' || l.thing[1 + (i / 7) % 10] end,
       case when i % 10 < 7
            then 'I offer ' || lower(x.skill) || ' (' || lower(x.cat) || ').' || E'\n'
                 || l.extra[1 + i % 10] || E'\n' || l.extra[1 + (i / 10) % 10]
            else 'Looking for someone good at ' || lower(x.skill) || '.' || E'\n'
                 || 'It is for ' || l.thing[1 + (i / 7) % 10] || '; ' || lower(l.extra[1 + i % 10]) end,
       c.id,
       case when i % 3 = 0 then 'hourly' else 'fixed' end,
       case when i % 3 = 0 then 100 + (i % 4) * 25 else 50 * (1 + (i * 7919) % 40) end,
       case when i % 3 = 0 then 100 * (1 + i % 8) end,
       case (i * 13) % 20 when 0 then 'paused' when 1 then 'closed' else 'open' end,
       case when i % 9 = 0 then now() + make_interval(days => 1 + i % 60) end,
       now() - make_interval(mins => (i * 53) % 525600),
       now() - make_interval(mins => (i * 53) % 525600)
from generate_series(1, 10000) i
cross join lists l
join spaces s on s.slug = 'marketbench'
join numbered x on x.k = (i * 31) % (select c from total)
join skill_categories c on c.space_id = s.id and c.name = x.cat
join bench_members o on o.n = 17 + (i * 7) % :owners_from;

-- 1,000 trades: the first 480 with a client (members 1 to 16) on one side, on another
-- member's listing; the rest between other members. States by n % 20.
create temporary table bench_trades as
with picked as (
    select n, l.id as listing_id, l.kind, l.title, l.membership_id as owner,
           (select membership_id from bench_members
            where bench_members.n = case when t.n <= 480 then 1 + (t.n - 1) % 16
                                         else 17 + (t.n * 37) % :owners_from end) as party,
           case when l.price_mode = 'hourly' then l.price * l.hours_estimate / 100 else l.price end as amount
    from generate_series(1, 1000) t(n)
    join lateral (select * from listings where space_id = (select id from spaces where slug = 'marketbench')
                  order by id offset (t.n * 7) % 10000 limit 1) l on true
)
select p.n, p.listing_id, p.title,
       case when p.kind = 'offer' then p.party else p.owner end as payer,
       case when p.kind = 'offer' then p.owner else p.party end as payee,
       greatest(p.amount, 100) as amount,
       (array['completed','completed','completed','completed','completed','completed',
              'proposed','proposed','accepted','accepted','delivered','delivered','disputed',
              'resolved','declined','declined','cancelled','cancelled','completed','completed'])[1 + p.n % 20] as state,
       p.n % 20 = 17 as voided
from picked p
where p.party <> p.owner;

alter table bench_trades add column hold_id uuid, add column settled_id uuid;
update bench_trades set hold_id = md5('bench-hold-' || n)::uuid
where state in ('accepted', 'delivered', 'disputed', 'completed', 'resolved') or voided;
update bench_trades set settled_id = md5('bench-settle-' || n)::uuid
where state in ('completed', 'resolved') or voided;

select count(*) as holds from bench_trades t
join bench_members pa on pa.membership_id = t.payer
join bench_members pe on pe.membership_id = t.payee
cross join lateral ledger_apply(t.hold_id, (select id from spaces where slug = 'marketbench'),
    'pending', 'trade', pa.account_id, pe.account_id, t.amount, null, null, null, null,
    'Trade #' || t.n, sha256(t.hold_id::text::bytea), false, null) r
where t.hold_id is not null and r.status = 'ok';
select count(*) as settled from bench_trades t
cross join lateral ledger_apply(t.settled_id, (select id from spaces where slug = 'marketbench'),
    case when t.voided then 'void' else 'post' end, null, null, null,
    case when t.state = 'resolved' then t.amount / 2 end, t.hold_id, null, null, null,
    '', sha256(t.settled_id::text::bytea), false, null) r
where t.settled_id is not null and r.status = 'ok';

insert into trades (id, space_id, listing_id, payer_id, payee_id, proposer_id, state, description,
                    amount, due_on, accept_attempts, hold_id, settled_id, delivered_at,
                    created_at, updated_at)
overriding system value
select t.n, s.id, t.listing_id, t.payer, t.payee, t.payer, t.state, t.title, t.amount,
       current_date + (t.n % 30 - 10), case when t.hold_id is null then 0 else 1 end,
       t.hold_id, t.settled_id,
       case when t.state in ('delivered', 'completed', 'disputed', 'resolved')
            then now() - make_interval(hours => t.n % 96) end,
       now() - make_interval(mins => t.n * 13), now() - make_interval(mins => t.n * 7)
from bench_trades t join spaces s on s.slug = 'marketbench'
order by t.n;
select setval(pg_get_serial_sequence('trades', 'id'), (select max(id) from trades));

-- The timeline each state implies, and who did each step.
insert into trade_events (space_id, trade_id, actor_id, kind, amount, description, due_on, note, created_at)
select t.space_id, t.id,
       case when e.kind in ('proposed', 'completed', 'withdrawn', 'disputed') then t.payer_id
            when e.kind = 'resolved' then (select m.id from memberships m join people p on p.id = m.person_id
                                           where p.email = 'admin@marketbench.bench')
            else t.payee_id end,
       e.kind,
       case when e.kind = 'proposed' then t.amount end,
       case when e.kind = 'proposed' then t.description end,
       case when e.kind = 'proposed' then t.due_on end,
       case when e.kind in ('disputed', 'answered', 'resolved', 'withdrew_from_work')
            then 'The work and the terms did not match; see the thread.' else '' end,
       t.created_at + make_interval(hours => e.step::int)
from trades t
join spaces s on s.id = t.space_id and s.slug = 'marketbench'
cross join lateral unnest(case t.state
    when 'proposed' then array['proposed']
    when 'accepted' then array['proposed', 'accepted']
    when 'delivered' then array['proposed', 'accepted', 'delivered']
    when 'completed' then array['proposed', 'accepted', 'delivered', 'completed']
    when 'declined' then array['proposed', 'declined']
    when 'cancelled' then case when t.hold_id is null then array['proposed', 'withdrawn']
                               else array['proposed', 'accepted', 'withdrew_from_work'] end
    when 'disputed' then array['proposed', 'accepted', 'delivered', 'disputed', 'answered']
    when 'resolved' then array['proposed', 'accepted', 'delivered', 'disputed', 'resolved']
    end) with ordinality as e(kind, step)
order by t.id, e.step;

insert into trade_messages (space_id, trade_id, author_id, body, created_at)
select t.space_id, t.id, case when k % 2 = 0 then t.payer_id else t.payee_id end,
       (array['Hi! Does Thursday morning work for you?',
              'Thursday is fine. I will bring my laptop.',
              E'Here are my notes from our call.\nLet me know if I missed anything.',
              'Thanks, that is exactly what I needed.',
              'Running ten minutes late, sorry!',
              'Files are in the shared folder.',
              'Could we move the deadline by two days?',
              'Sure, no problem.'])[1 + (t.id + k) % 8],
       t.created_at + make_interval(mins => 30 * k::int)
from trades t
join spaces s on s.id = t.space_id and s.slug = 'marketbench'
cross join generate_series(0, t.id % 6) k
order by t.id, k;

insert into kudos (space_id, trade_id, from_id, to_id, stars, note)
select t.space_id, t.id, t.payer_id, t.payee_id, 3 + t.id % 3, 'Great work, thank you!'
from trades t join spaces s on s.id = t.space_id and s.slug = 'marketbench'
where t.state = 'completed' and t.id % 3 = 0;
update memberships m set kudos_count = k.c, kudos_stars = k.stars
from (select to_id, count(*) as c, sum(stars) as stars from kudos group by to_id) k
where m.id = k.to_id;

commit;
-- As autovacuum would have by now: without it, the 10,000 new entries wait in the GIN
-- index's pending list, which every text search reads through from end to end.
vacuum analyze;
