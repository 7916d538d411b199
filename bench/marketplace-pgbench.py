"""The SQL baseline of bench/marketplace: the pages' own queries as pgbench scripts, and
EXPLAIN ANALYZE of the search.

  marketplace-pgbench.py PATHS OUT SPACE SESSION_HASH MEMBERSHIP "MIN_TRADE MAX_TRADE"
      one script per search of the mix (the session query, the categories, the search), and
      one for a trade page (the session query, the trade as its viewer sees it, its
      timeline, its thread), weighted by the trade pages' share of the mix ("-- weight N")
  marketplace-pgbench.py --explain URL SPACE
      EXPLAIN ANALYZE of marketplace_search's query for a few searches, on stdout
"""
import re
import subprocess
import sys
import urllib.parse


def lit(v):
    return "null" if v is None else "'" + v.replace("'", "''") + "'"


def amount(raw):
    """As ledger::money::parse_amount, for the bench's plain amounts: hundredths."""
    if not raw:
        return None
    whole, _, frac = raw.partition(".")
    return str(int(whole or "0") * 100 + int((frac + "00")[:2]))


def session_sql(session):
    # As web::session::db::load_session, for a page under /s/marketbench.
    return f"""select s.csrf_token, p.id, p.display_name, p.email,
       extract(epoch from now() - s.last_seen_at)::bigint,
       sp.id, sp.slug, sp.name, sp.signup_mode, sp.currency_name, sp.accent_colour,
       m.id, m.role, m.status
from sessions s
left join people p on p.id = s.person_id
left join spaces sp on sp.slug = 'marketbench' and s.person_id is not null
left join memberships m on m.space_id = sp.id and m.person_id = s.person_id
where s.id_hash = '\\x{session}'::bytea and s.expires_at > now()
  and s.last_seen_at > now() - make_interval(secs => 43200);
"""


def search_sql(space, line):
    """The marketplace page: the categories, then marketplace_search (as search.rs asks)."""
    qs = urllib.parse.parse_qs(urllib.parse.urlparse(line).query)
    get = lambda k: qs.get(k, [""])[0]
    q = get("q").strip()
    typos = q != "" and '"' not in q and not any(w.startswith("-") for w in q.split())
    sort = get("sort") or ("relevance" if q else "newest")
    page = max(1, int(get("page") or 1))
    return f"""select c.id, c.name, c.retired_at is not null from skill_categories c
where c.space_id = {space} order by c.retired_at is not null, lower(c.name);
select listing_id, membership_id, display_name, kind, title, category, price_mode, price,
       hours_estimate, total_price, created_at, here_today, rank, total
from marketplace_search({space}, {lit(q)}, {str(typos).lower()}, {lit(get('kind') or None)},
     {get('category') or 'null'}, {amount(get('min')) or 'null'}, {amount(get('max')) or 'null'},
     {str(get('here') == '1').lower()}, '{sort}', 20, {(page - 1) * 20});
"""


def trade_sql(space, member, low, high):
    """A trade page, as trades::handlers::view reads it."""
    return f"""\\set tid random({low}, {high})
select t.id, t.listing_id, l.title, t.payer_id, pp.display_name, t.payee_id, ep.display_name,
       t.proposer_id, t.state, t.description, t.amount, t.due_on, t.hold_id, t.settled_id,
       t.cancel_requested, t.delivered_at, t.created_at, t.updated_at,
       coalesce(t.due_on < (now() at time zone s.time_zone)::date, false),
       exists (select 1 from kudos k where k.trade_id = t.id and k.from_id = {member})
from trades t
join spaces s on s.id = t.space_id
left join listings l on l.id = t.listing_id
join memberships pm on pm.id = t.payer_id join people pp on pp.id = pm.person_id
join memberships em on em.id = t.payee_id join people ep on ep.id = em.person_id
where t.space_id = {space} and t.id = :tid;
select p.display_name, e.kind, e.amount, e.description, e.due_on, e.note, e.created_at
from trade_events e
left join memberships m on m.id = e.actor_id
left join people p on p.id = m.person_id
where e.space_id = {space} and e.trade_id = :tid
order by e.id;
select m.author_id, p.display_name, m.body, m.created_at
from trade_messages m
join memberships am on am.id = m.author_id join people p on p.id = am.person_id
where m.space_id = {space} and m.trade_id = :tid
order by m.id
limit 500;
"""


def scripts(paths, out, space, session, member, trades):
    low, high = trades.split()
    lines = open(paths).read().split()
    trade_pages = sum(1 for l in lines if "{trade}" in l)
    for i, line in enumerate(l for l in lines if "{trade}" not in l):
        with open(f"{out}/q{i:02}.sql", "w") as f:
            f.write(session_sql(session) + search_sql(space, line))
    if trade_pages:
        with open(f"{out}/trade.sql", "w") as f:
            f.write(f"-- weight {trade_pages}\n" + session_sql(session)
                    + trade_sql(space, member, low, high))


def explain(url, space):
    body = subprocess.run(
        ["psql", url, "-Atc", "select prosrc from pg_proc where proname = 'marketplace_search'"],
        capture_output=True, text=True, check=True).stdout

    def statement(start):
        at = body.index(start)
        return body[at:body.index(";", at)]

    # The function's queries, as they run: v_tsq and v_today are worked out first. Without
    # words it counts, then reads one page; with words, one query ranks every match.
    browse = [statement("select count(*) into v_total").replace(" into v_total", ""),
              statement("with page as")]
    search = [body[body.index("with found as"):body.rindex(";")]]
    names = ["p_query", "p_typos", "p_kind", "p_category", "p_min", "p_max", "p_here", "p_sort"]
    category = f"(select min(id) from skill_categories where space_id = {space})"
    for label, args in [
            ("typo search 'desgin'", ("'desgin'", "true", "null", "null", "null", "null", "false", "'relevance'")),
            ("words 'logo design'", ("'logo design'", "true", "null", "null", "null", "null", "false", "'relevance'")),
            ("no words, newest first", ("''", "false", "null", "null", "null", "null", "false", "'newest'")),
            ("filters: category + offers, by price", ("''", "false", "'offer'", category, "null", "null", "false", "'price'")),
            ("price range 5 to 20", ("''", "false", "null", "null", "500", "2000", "false", "'newest'"))]:
        print(f"\\echo === {label}")
        print("set work_mem = '16MB';")
        for sql in (search if args[0] != "''" else browse):
            q = sql
            for name, value in zip(names, args):
                q = re.sub(rf"\b{name}\b", value, q)
            tsq = f"search_tsquery({space}, {args[0]}, {args[1]}, true)"
            q = re.sub(r"\bv_today\b", "current_date", q)
            q = re.sub(r"\bv_total\b", "0", q)
            q = re.sub(r"\bp_space\b", space, q)
            q = re.sub(r"\bp_limit\b", "20", q)
            q = re.sub(r"\bp_offset\b", "0", q)
            # A prepared statement with the tsquery as a parameter, as inside the function.
            prepared = re.sub(r"\bv_tsq\b", "$1::tsquery", q)
            print(f"prepare s as {prepared};")
            print(f"explain (analyze, buffers, costs off) execute s({tsq});")
            print("deallocate s;")


if __name__ == "__main__":
    if sys.argv[1] == "--explain":
        explain(sys.argv[2], sys.argv[3])
    else:
        scripts(*sys.argv[1:7])
