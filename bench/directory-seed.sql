-- 10,000 members and 50,000 skills in the space 'dirbench' (run by bench/directory).
-- Names, headlines and skills are drawn from small realistic lists; search documents are
-- rebuilt once at the end instead of by trigger per row.
\set ON_ERROR_STOP on
begin;
alter table skills disable trigger skills_directory_refresh;
alter table memberships disable trigger memberships_directory_refresh;

insert into skill_categories (space_id, name)
select s.id, c from spaces s,
     unnest(array['Design', 'Development', 'Writing', 'Legal', 'Finance', 'Marketing',
                  'Photography', 'Coaching']) c
where s.slug = 'dirbench'
on conflict do nothing;

with first(n) as (select array['Ana','Bea','Carlos','Dee','Emma','Finn','Grace','Hiro','Ines','Jonas',
                               'Kwame','Lena','Maya','Noor','Omar','Priya','Quinn','Ravi','Sofia','Tomás',
                               'Uma','Victor','Wen','Xavier','Yusuf','Zara']),
     last(n) as (select array['Ferreira','Okafor','Ruiz','Nair','Becker','Martin','Mensah','Lindqvist',
                              'Tanaka','Zahra','Popescu','Cohen','Adeyemi','Nowak','Haddad','Rossi',
                              'Suzuki','Grant','Khan','Dubois','Berg','Osei','Patel','Walsh'])
insert into people (email, display_name, password_hash, email_verified_at)
select 'dir' || i || '@dirbench.bench',
       (select n[1 + i % 26] from first) || ' ' || (select n[1 + (i / 26) % 24] from last),
       (select password_hash from people where email = 'admin@dirbench.bench'), now()
from generate_series(1, 10000) i
on conflict do nothing;

insert into memberships (space_id, person_id, role, status, headline, bio, presence, here_on, kudos_count, created_at)
select s.id, p.id, 'member', 'active',
       (array['Brand designer','Backend developer','Copywriter and editor','Startup lawyer',
              'Freelance accountant','Growth marketer','Product photographer','Career coach',
              'UX researcher','Data analyst'])[1 + p.id % 10],
       (array['Ten years in agencies, now freelance.','Happy to pair for an hour if you are stuck.',
              'I once took a course in graphic design.','Always up for a skill swap.',''])[1 + p.id % 5],
       (array['open','open','heads_down','away'])[1 + p.id % 4],
       case when p.id % 7 = 0 then current_date end,
       (p.id * 7919) % 50,
       now() - make_interval(days => (p.id % 900)::int)
from people p, spaces s
where s.slug = 'dirbench' and p.email like 'dir%@dirbench.bench'
on conflict do nothing;

with names(cat, skill) as (values
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
numbered as (select row_number() over () - 1 as n, cat, skill from names),
total as (select count(*) as c from numbered)
insert into skills (space_id, membership_id, category_id, name, level)
select m.space_id, m.id, c.id, x.skill, (array['learning','practised','practised','expert'])[1 + (m.id + k) % 4]
from memberships m
join spaces s on s.id = m.space_id and s.slug = 'dirbench'
cross join generate_series(0, 4) k
join numbered x on x.n = (m.id * 31 + k * 7) % (select c from total)
join skill_categories c on c.space_id = m.space_id and c.name = x.cat
on conflict do nothing;

alter table skills enable trigger skills_directory_refresh;
alter table memberships enable trigger memberships_directory_refresh;
select count(*) as refreshed from (
  select directory_refresh(m.id) from memberships m join spaces s on s.id = m.space_id where s.slug = 'dirbench'
) r;
commit;
analyze;
