//! The demo's marketplace: what members offer and ask for, and the trades between them, as
//! the members of a real co-working space would write them. Pure data; `marketplace` and
//! `trades` seed it. Members are named by the part of their email before the @.

use crate::marketplace::model::{ListingKind, ListingStatus};
use crate::trades::model::{Action, Resolution};

use ListingKind::{Offer, Request};
use ListingStatus::{Closed, Open, Paused};

/// A price in hundredths of a credit: for the whole thing, or per hour with an estimate of
/// the hours (in hundredths of an hour).
#[derive(Debug, Clone, Copy)]
pub(super) enum Price {
    Fixed(i64),
    Hourly(i64, i32),
}

pub(super) struct ListingSeed {
    pub owner: &'static str,
    pub kind: ListingKind,
    pub category: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub price: Price,
    /// Posted this many days ago.
    pub age_days: i64,
    /// Open until this many days from the day of seeding.
    pub expires_in_days: Option<i64>,
    pub status: ListingStatus,
}

const fn listing(
    owner: &'static str,
    kind: ListingKind,
    category: &'static str,
    title: &'static str,
    description: &'static str,
    price: Price,
    age_days: i64,
) -> ListingSeed {
    ListingSeed {
        owner,
        kind,
        category,
        title,
        description,
        price,
        age_days,
        expires_in_days: None,
        status: Open,
    }
}

impl ListingSeed {
    const fn expiring(mut self, in_days: i64) -> Self {
        self.expires_in_days = Some(in_days);
        self
    }

    const fn status(mut self, status: ListingStatus) -> Self {
        self.status = status;
        self
    }
}

use Price::{Fixed, Hourly};

#[rustfmt::skip]
pub(super) const LISTINGS: &[ListingSeed] = &[
    // Design
    listing("ana", Offer, "Design", "Logo and small brand kit for your new venture",
        "A logo, two colour palettes and a one-page guide to using them.\nWe start with a 30-minute chat about who you are and who you want to reach. You get three directions, then two rounds of changes.\nFiles for web and print included.",
        Fixed(800), 20),
    listing("ana", Offer, "Design", "Brand feedback session (one hour)",
        "Bring your logo, website or deck and I'll tell you honestly what works and what doesn't.\nOver coffee in the kitchen, or at your desk if you'd rather show me on screen.",
        Hourly(100, 100), 12),
    listing("elena", Offer, "Design", "Custom illustrations for your website or deck",
        "Spot illustrations in a consistent style: people, objects, little scenes.\nI'll sketch on paper first so you can say yes or no before I colour anything.\nTypical job: 4 to 6 illustrations, about four hours.",
        Hourly(150, 400), 18),
    listing("elena", Offer, "Design", "Animated logo sting (5 seconds)",
        "Your logo, animated for the start of your videos or your website's header.\nDelivered as MP4, GIF and Lottie.\nI have room for two of these before the end of the month.",
        Fixed(600), 6).expiring(12),
    listing("aiko", Offer, "Design", "Packaging mock-ups that print right first time",
        "Dielines, bleed, colour profiles: I'll check your packaging files and mock them up in 3D so you see the box before you pay the printer.\nI know the print shop on Quay Street well.",
        Fixed(500), 15),
    listing("emma", Offer, "Design", "UX review of your app's sign-up flow",
        "I'll go through your sign-up and first five minutes as a new user would, and write down every place I hesitate.\nYou get a short report with screenshots and the three changes I'd make first.",
        Fixed(300), 9),
    listing("finn", Offer, "Design", "A one-page website for your café or shop",
        "Opening hours, menu, map, a few good photos, and a page that loads fast on a phone.\nI build on a simple static host, so there's no monthly fee to forget about.\nPaused until I finish the bakery's site next door.",
        Fixed(1200), 22).status(Paused),
    listing("leila", Offer, "Design", "Hand-drawn portraits for your About page",
        "A friendly ink-and-watercolour portrait of you or your team, from a photo.\nAbout an hour a person; scanned at high resolution for web and print.",
        Hourly(120, 300), 4),
    listing("sofia", Offer, "Design", "Usability test with five real users",
        "I recruit five people who match your audience, run 30-minute sessions with your prototype or live site, and give you the clips and a list of what tripped them up.\nYou can watch from the next room.",
        Fixed(700), 13),
    listing("sara", Offer, "Design", "Food styling for your menu shoot",
        "I'll make your dishes look as good as they taste: props, plating, fresh herbs at the last second.\nWorks best with a photographer; I often team up with Chloé.",
        Hourly(100, 300), 11),
    // Development
    listing("tomas", Offer, "Development", "Postgres health check: slow queries, indexes, backups",
        "Give me read access for an afternoon and I'll find your slowest queries, missing indexes and whether your backups actually restore.\nYou get a written list, most important first.",
        Fixed(400), 19),
    listing("tomas", Offer, "Development", "Pair programming in Rust (beginners welcome)",
        "Stuck on the borrow checker? Let's sit together and work through your code.\nNo question is too basic.",
        Hourly(100, 200), 7),
    listing("hiroshi", Offer, "Development", "Get your iOS app through App Store review",
        "Rejected again? I've shipped more than twenty apps and know what the reviewers look for.\nI'll read the rejection, fix what needs fixing and help you write the reply.",
        Hourly(150, 300), 14),
    listing("mateo", Offer, "Development", "Fix the bugs on your website",
        "Broken contact form, a layout that falls apart on phones, a plugin that stopped working after an update: I'll find it and fix it.\nI quote after a 15-minute look.",
        Hourly(100, 200), 16),
    listing("carlos", Offer, "Development", "Cut your cloud bill: an hour with your AWS invoice",
        "Most small teams pay for things they forgot they turned on.\nWe go through your bill line by line and switch off what you don't need.",
        Fixed(150), 10),
    listing("ravi", Offer, "Development", "Automate that weekly spreadsheet with Python",
        "If you copy and paste the same numbers every Monday, a short script can do it for you.\nI'll write it, show you how to run it, and leave notes for whoever comes next.",
        Hourly(100, 300), 5),
    listing("kenji", Offer, "Development", "Playtest and feedback for your game prototype",
        "I'll play your build for an hour, record my screen, and write up what was fun, what confused me and where it crashed.",
        Fixed(200), 3),
    listing("david", Offer, "Development", "Dashboards in Metabase or Looker Studio",
        "Your sales, sign-ups or bookings on one page that updates itself.\nI connect the data, build the charts and show you how to change them.",
        Hourly(100, 400), 13),
    // Writing
    listing("priya", Offer, "Writing", "Website copy that sounds like you",
        "Home, About and Services pages, written after an hour's interview with you.\nTwo rounds of edits, and a short voice guide so new pages match.",
        Fixed(600), 21),
    listing("priya", Offer, "Writing", "Proofreading: 2,000 words by tomorrow",
        "Typos, grammar, consistency and the odd clunky sentence.\nTracked changes in Word or suggestions in Google Docs.",
        Fixed(150), 3),
    listing("noor", Offer, "Writing", "Grant application review before you submit",
        "I've written and reviewed applications for arts councils, lottery funds and foundations.\nI'll read yours against the criteria and mark where a reviewer will stop nodding.\nOpen until the spring funding round closes.",
        Fixed(400), 8).expiring(20),
    listing("maria", Offer, "Writing", "Turn your README into real documentation",
        "Installation, a tutorial, reference pages and a changelog, structured so people find answers without asking you.",
        Hourly(100, 500), 17),
    listing("lena", Offer, "Writing", "English and Czech translation",
        "Websites, menus, letters and short documents, either way.\nNative Czech speaker, ten years living in English.",
        Hourly(120, 200), 12),
    listing("nadia", Offer, "Writing", "Ghostwritten LinkedIn posts for a month",
        "Twelve posts in your voice, from a monthly call and your notes.\nFull for now: I'll reopen this when a client finishes.",
        Fixed(900), 19).status(Closed),
    listing("nadia", Offer, "Writing", "Newsletter set-up and your first three issues",
        "I'll set up your newsletter tool, write a welcome email and the first three issues with you, so the habit sticks.",
        Fixed(1000), 15),
    // Legal
    listing("kwame", Offer, "Legal", "Contract review for freelancers (up to 10 pages)",
        "Client contract, NDA or agency terms: I'll mark what to push back on and suggest wording.\nGeneral guidance, not formal legal advice; I'll tell you when you need that.",
        Fixed(300), 23),
    listing("kwame", Offer, "Legal", "Incorporation Q&A: sole trader, limited company or co-op?",
        "An hour on what each choice means for tax, liability and paperwork, for your situation.",
        Hourly(100, 100), 9),
    listing("zara", Offer, "Legal", "Your first employment contract, checked",
        "Hiring your first person? I'll check the contract, the holiday and notice terms and the right-to-work steps.",
        Fixed(350), 14),
    listing("julia", Offer, "Legal", "Trademark search before you name your product",
        "I'll search the registers in the classes you need and tell you how risky the name looks.\nBetter now than after the logo is printed.",
        Fixed(250), 11),
    listing("julia", Offer, "Legal", "Privacy policy and cookie notice for a small website",
        "Written for what your site really does, not copied from a template.\nIncludes a plain-language summary at the top.",
        Fixed(400), 19).expiring(5),
    // Finance
    listing("jonas", Offer, "Finance", "Year-end accounts for freelancers, explained",
        "We go through your year together and I explain every line, so next year you know what to keep.",
        Hourly(100, 300), 20),
    listing("oliver", Offer, "Finance", "Bookkeeping catch-up: a quarter of receipts sorted",
        "Bring the shoebox. I'll sort, categorise and enter a quarter's receipts and bank lines, and reconcile them.",
        Fixed(500), 12),
    listing("oliver", Offer, "Finance", "Invoicing set-up in an afternoon",
        "Numbered invoices, payment terms, automatic reminders and a template that looks like you.",
        Fixed(200), 1),
    listing("yusuf", Offer, "Finance", "A financial model your investors will believe",
        "Revenue, costs, hiring and cash flow for three years, with the assumptions on one page where anyone can challenge them.",
        Hourly(150, 600), 16),
    listing("arjun", Offer, "Finance", "Self-assessment tax return, done together",
        "We fill it in side by side, so you understand it and can do it alone next year.\nOpen until the filing deadline.",
        Fixed(400), 4).expiring(25),
    // Marketing
    listing("fatima", Offer, "Marketing", "Launch plan for your product (two sessions)",
        "Session one: who it's for and what they need to hear. Session two: a week-by-week plan for the launch month.\nYou leave with a plan you can run alone.",
        Fixed(500), 18),
    listing("samuel", Offer, "Marketing", "SEO audit of your website",
        "Technical checks, the keywords you could win, and the five pages to fix first.\nA written report and a 30-minute call to go through it.",
        Fixed(400), 13),
    listing("hannah", Offer, "Marketing", "A month of Instagram posts planned in one afternoon",
        "We plan a month of posts together: themes, captions, hashtags and a posting calendar you can stick to.",
        Fixed(300), 7),
    listing("beatriz", Offer, "Marketing", "Brand positioning workshop",
        "Three hours with your team to agree who you are for, what you promise and how you say it.\nPaused while I'm on leave; back next month.",
        Hourly(120, 300), 10).status(Paused),
    listing("ben", Offer, "Marketing", "Google Ads that don't burn your budget",
        "I'll set up a small campaign, the tracking that tells you if it works, and a weekly check for the first month.",
        Hourly(100, 300), 15),
    // Photography
    listing("chloe", Offer, "Photography", "Product photos on white, 10 items",
        "Clean shots on white for your shop, two angles each, retouched and sized for the web.\nIn my studio upstairs; bring the products on a weekday morning.",
        Fixed(500), 21),
    listing("lucas", Offer, "Photography", "Headshots on the roof terrace",
        "Twenty minutes in natural light on the roof, three retouched photos.\nOnly while the weather holds.",
        Fixed(200), 8).expiring(9),
    listing("lucas", Offer, "Photography", "Event photography for your launch night",
        "Candid shots of your guests and speakers, edited and delivered within two days.",
        Hourly(100, 400), 16),
    listing("tariq", Offer, "Photography", "Edit your talk or interview video",
        "Cuts, captions, titles and clean sound, ready for YouTube or LinkedIn.\nSend me the raw files and your notes on what matters.",
        Hourly(120, 300), 18),
    // Coaching
    listing("liam", Offer, "Coaching", "Career change conversation",
        "Thinking of changing direction? An hour to untangle what you want, what you have, and the next small step.",
        Hourly(100, 100), 19),
    listing("ingrid", Offer, "Coaching", "Founder coaching: three sessions",
        "For first-time founders: three one-hour sessions over a month on whatever keeps you up at night.\nConfidential, always.",
        Fixed(600), 14),
    listing("amara", Offer, "Coaching", "CV and LinkedIn review",
        "I'll rewrite your CV's top half and your LinkedIn headline with you, for the job you want next.",
        Fixed(150), 9),
    listing("tom", Offer, "Coaching", "Pitch rehearsal before demo day",
        "Run your pitch for me twice. I'll time it, stop you where I got lost and help you land the ending.",
        Hourly(100, 200), 3),
    // Requests
    listing("jonas", Request, "Design", "Logo for my accounting practice",
        "I'm setting up on my own and need a logo that says trustworthy, not boring.\nIt has to work small, on invoices and email signatures.",
        Fixed(700), 17),
    listing("chloe", Request, "Development", "Booking page for my photo studio",
        "Clients should pick a slot, pay a deposit and get a confirmation email.\nMy current site is a single page on a static host.",
        Fixed(800), 15),
    listing("kwame", Request, "Photography", "Professional headshot for my firm's website",
        "One good headshot, suit and tie, something that doesn't look like a passport photo.",
        Fixed(200), 13),
    listing("tomas", Request, "Legal", "Someone to read my freelance contract before I sign",
        "A new client sent eight pages of terms. I'd like someone who knows contracts to read the IP and liability clauses.",
        Fixed(300), 11),
    listing("priya", Request, "Finance", "Help with my first tax return as a freelancer",
        "First year freelancing and I have no idea what I can claim.\nHappy to bring tea and biscuits.",
        Hourly(100, 200), 10),
    listing("hiroshi", Request, "Writing", "App Store description and screenshot captions",
        "My app is ready but my English copy isn't.\nAbout 300 words plus five short captions.",
        Fixed(300), 9),
    listing("liam", Request, "Marketing", "A newsletter that people actually open",
        "I send a monthly newsletter to 400 past clients and the open rate is falling.\nLooking for someone to look at it with fresh eyes.",
        Fixed(400), 8),
    listing("fatima", Request, "Photography", "Photos of our team for the launch",
        "Five of us, a mix of portraits and people at work, in the space.\nWe launch in two weeks.",
        Hourly(100, 300), 7),
    listing("noor", Request, "Development", "Fix the donation form on a charity website",
        "A small charity I volunteer for loses donations over £100: the form just spins.\nWordPress with a payment plugin.",
        Hourly(100, 200), 7),
    listing("elena", Request, "Finance", "Pricing advice: what should I charge for illustration?",
        "I'm undercharging and I know it.\nAn hour with someone who can look at my numbers and my market would help a lot.",
        Fixed(150), 5),
    listing("kenji", Request, "Legal", "Trademark check for my game's name",
        "Before I announce it, I'd like to know the name isn't already taken in games.",
        Fixed(250), 5),
    listing("sara", Request, "Marketing", "Instagram strategy for a food stylist",
        "My feed is pretty but nobody books me through it.\nI'd like a plan that turns followers into clients.",
        Fixed(300), 3),
    listing("ravi", Request, "Coaching", "Practice interview for a lead engineer role",
        "I have a final-round interview next week: one hour of mock questions and honest feedback, please.",
        Hourly(100, 150), 2).expiring(6),
    listing("maya", Request, "Photography", "Photos of the new meeting rooms for the website",
        "The two new rooms on the second floor are finished. We need bright, wide photos for the booking pages.",
        Fixed(400), 12),
    listing("ben", Request, "Writing", "Proofread my case study before it goes live",
        "About 1,200 words on a campaign we ran last spring. Deadline Friday.",
        Fixed(100), 1),
    listing("emma", Request, "Coaching", "Mentor for my first conference talk",
        "I'm speaking at a design meetup and I've never done it before.\nFound one, thank you all!",
        Hourly(100, 200), 22).status(Closed),
    listing("aiko", Request, "Finance", "Monthly bookkeeping for a tiny print studio",
        "About forty transactions a month. Paused while I try doing it myself first.",
        Fixed(300), 16).status(Paused),
];

/// When something happened: this many days and hours before the seeding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Ago(pub i64, pub i64);

/// What a member does in a trade's story.
#[derive(Debug, Clone, Copy)]
pub(super) enum What {
    /// An action of SPEC §3.3a that needs no words.
    Act(Action),
    /// An action with a reason or a statement.
    Say(Action, &'static str),
    /// New terms: the description and the amount (the due date stays).
    Counter(&'static str, i64),
    /// The demo admin settles the dispute.
    Resolve(Resolution, &'static str),
    Message(&'static str),
    Kudos(i32, &'static str),
    /// The listing's owner closes it: the request was met.
    CloseListing,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Step {
    pub ago: Ago,
    pub by: &'static str,
    pub what: What,
}

const fn at(days: i64, hours: i64, by: &'static str, what: What) -> Step {
    Step {
        ago: Ago(days, hours),
        by,
        what,
    }
}

pub(super) struct TradeSeed {
    pub proposer: &'static str,
    /// The other party: on a listing, its owner.
    pub with: &'static str,
    /// The title of `with`'s listing it is on; None for a trade proposed from a profile.
    pub listing: Option<&'static str>,
    /// For a trade from a profile: whether the proposer pays (or does the work).
    pub proposer_pays: bool,
    /// The opening terms; they also mark the trade, so a second seeding finds it.
    pub description: &'static str,
    pub amount: i64,
    /// Due this many days from the day of seeding (negative: already past).
    pub due_in_days: Option<i64>,
    pub opened: Ago,
    pub steps: &'static [Step],
}

use Action::{
    Accept, AgreeToCancel, Answer, AskToCancel, Confirm, Decline, Dispute, MarkDelivered,
    RefuseToCancel, Withdraw, WithdrawFromWork,
};
use What::{Act, CloseListing, Counter, Kudos, Message, Resolve, Say};

#[rustfmt::skip]
pub(super) const TRADES: &[TradeSeed] = &[
    // Completed, with kudos.
    TradeSeed {
        proposer: "ana", with: "jonas", listing: Some("Logo for my accounting practice"),
        proposer_pays: false,
        description: "Logo for Becker Accounting: three directions, two rounds of changes",
        amount: 700, due_in_days: Some(-8), opened: Ago(16, 6),
        steps: &[
            at(16, 4, "jonas", Message("Thanks Ana! Could you also lay out a business card? I'd add an hour for it.")),
            at(16, 2, "jonas", Counter("Logo for Becker Accounting: three directions, two rounds of changes, and a business card layout", 800)),
            at(15, 20, "ana", Act(Accept)),
            at(14, 3, "ana", Message("The three directions are in the shared folder.\nI lean towards the second: the ledger lines turn into a B.")),
            at(14, 1, "jonas", Message("Second one for me too. Could the navy be a touch warmer?")),
            at(10, 5, "ana", Act(MarkDelivered)),
            at(9, 22, "ana", Message("Final files are up: SVG, PNG and a print PDF for the cards.")),
            at(9, 20, "jonas", Act(Confirm)),
            at(9, 19, "jonas", Kudos(5, "Patient, quick, and the cards look great. Clients have already commented.")),
            at(9, 18, "ana", Kudos(5, "A clear brief and fast answers. Lovely to work with.")),
            at(9, 17, "jonas", CloseListing),
        ],
    },
    TradeSeed {
        proposer: "zara", with: "tomas", listing: Some("Someone to read my freelance contract before I sign"),
        proposer_pays: false,
        description: "Read the IP and liability clauses of an 8-page client contract, with suggested wording",
        amount: 300, due_in_days: Some(-6), opened: Ago(10, 8),
        steps: &[
            at(10, 6, "tomas", Act(Accept)),
            at(10, 5, "tomas", Message("Sent you the PDF by email. Clause 9 is the one that worries me.")),
            at(8, 4, "zara", Message("Clause 9 gives them everything you ever wrote, including your own libraries. I've suggested a licence instead.")),
            at(8, 3, "zara", Act(MarkDelivered)),
            at(7, 23, "tomas", Act(Confirm)),
            at(7, 22, "tomas", Kudos(5, "Saved me from signing away my own code. Clear, kind and fast.")),
            at(7, 20, "zara", Kudos(5, "Came with exactly the right questions.")),
            at(7, 19, "tomas", CloseListing),
        ],
    },
    TradeSeed {
        proposer: "aiko", with: "chloe", listing: Some("Product photos on white, 10 items"),
        proposer_pays: true,
        description: "Photos of 10 packaging samples for my portfolio",
        amount: 500, due_in_days: Some(-12), opened: Ago(19, 7),
        steps: &[
            at(19, 5, "chloe", Message("Happy to! Bring them on Tuesday morning; the light is best before eleven.")),
            at(19, 4, "chloe", Act(Accept)),
            at(15, 6, "chloe", Act(MarkDelivered)),
            at(15, 3, "aiko", Act(Confirm)),
            at(15, 2, "aiko", Kudos(5, "The embossing finally shows in a photo. Magic.")),
            at(14, 22, "chloe", Kudos(4, "Beautiful boxes, easy client.")),
        ],
    },
    TradeSeed {
        proposer: "elena", with: "kwame", listing: Some("Contract review for freelancers (up to 10 pages)"),
        proposer_pays: true,
        description: "Review of my licensing agreement with a children's publisher",
        amount: 300, due_in_days: None, opened: Ago(21, 5),
        steps: &[
            at(21, 2, "kwame", Act(Accept)),
            at(19, 6, "kwame", Message("Notes attached. The term is fine; the territory clause is far too wide for the fee.")),
            at(19, 5, "kwame", Act(MarkDelivered)),
            at(18, 23, "elena", Act(Confirm)),
            at(18, 22, "elena", Kudos(5, "I renegotiated and got a better fee. Thank you!")),
            at(18, 4, "kwame", Kudos(4, "")),
        ],
    },
    TradeSeed {
        proposer: "ravi", with: "carlos", listing: None, proposer_pays: true,
        description: "Help moving my cron jobs onto our Kubernetes cluster",
        amount: 200, due_in_days: None, opened: Ago(13, 9),
        steps: &[
            at(13, 7, "carlos", Act(Accept)),
            at(12, 5, "carlos", Message("CronJobs are running. I left a README in the repo on how to add more.")),
            at(12, 4, "carlos", Act(MarkDelivered)),
            at(12, 1, "ravi", Act(Confirm)),
            at(12, 0, "ravi", Kudos(5, "Two hours of my life back every week.")),
        ],
    },
    TradeSeed {
        proposer: "lucas", with: "kwame", listing: Some("Professional headshot for my firm's website"),
        proposer_pays: false,
        description: "Headshot on the roof terrace, three retouched photos",
        amount: 200, due_in_days: Some(-9), opened: Ago(12, 6),
        steps: &[
            at(12, 4, "kwame", Act(Accept)),
            at(12, 3, "lucas", Message("Thursday at 4? The light on the roof is softest then.")),
            at(12, 2, "kwame", Message("Thursday at 4 it is. Tie or no tie?")),
            at(12, 1, "lucas", Message("Bring both, we'll see.")),
            at(10, 2, "lucas", Act(MarkDelivered)),
            at(9, 23, "kwame", Act(Confirm)),
            at(9, 22, "kwame", Kudos(5, "My mother says it's the first good photo of me in years.")),
            at(9, 21, "kwame", CloseListing),
        ],
    },
    TradeSeed {
        proposer: "noor", with: "priya", listing: Some("Proofreading: 2,000 words by tomorrow"),
        proposer_pays: true,
        description: "Proofread my arts council application (1,800 words)",
        amount: 150, due_in_days: Some(-1), opened: Ago(2, 9),
        steps: &[
            at(2, 7, "priya", Act(Accept)),
            at(1, 8, "priya", Act(MarkDelivered)),
            at(1, 7, "priya", Message("Done: mostly commas, and one sentence in the budget section that said the opposite of what you meant.")),
            at(1, 5, "noor", Act(Confirm)),
            at(1, 4, "noor", Kudos(5, "Caught a mistake that would have cost us the grant.")),
        ],
    },
    TradeSeed {
        proposer: "maria", with: "liam", listing: Some("Career change conversation"),
        proposer_pays: true,
        description: "An hour on moving from technical writing into product management",
        amount: 100, due_in_days: None, opened: Ago(18, 4),
        steps: &[
            at(18, 1, "liam", Act(Accept)),
            at(16, 5, "liam", Act(MarkDelivered)),
            at(16, 2, "maria", Act(Confirm)),
            at(16, 1, "maria", Kudos(5, "I left with a plan instead of a headache.")),
            at(15, 6, "liam", Kudos(5, "Brave questions. Good luck with the move!")),
        ],
    },
    TradeSeed {
        proposer: "finn", with: "samuel", listing: Some("SEO audit of your website"),
        proposer_pays: true,
        description: "SEO audit of finnmurphy.design, with a competitor report",
        amount: 450, due_in_days: Some(-3), opened: Ago(12, 8),
        steps: &[
            at(12, 5, "samuel", Message("The competitor report is a day's work on its own. Could we leave it out?")),
            at(12, 4, "samuel", Counter("SEO audit of finnmurphy.design, without the competitor report", 350)),
            at(11, 22, "finn", Act(Accept)),
            at(6, 3, "samuel", Act(MarkDelivered)),
            at(5, 7, "finn", Act(Confirm)),
            at(5, 6, "finn", Kudos(4, "Clear report; the page speed tips alone were worth it.")),
        ],
    },
    TradeSeed {
        proposer: "hannah", with: "oliver", listing: Some("Bookkeeping catch-up: a quarter of receipts sorted"),
        proposer_pays: true,
        description: "Sort and enter my receipts from July to September",
        amount: 500, due_in_days: None, opened: Ago(11, 6),
        steps: &[
            at(11, 3, "oliver", Act(Accept)),
            at(11, 2, "oliver", Message("Drop the shoebox at my desk whenever suits. I'm in Monday to Thursday.")),
            at(7, 4, "oliver", Act(MarkDelivered)),
            at(7, 2, "oliver", Message("All reconciled. You had two subscriptions to the same scheduling app, by the way.")),
            at(6, 22, "hannah", Act(Confirm)),
            at(6, 21, "hannah", Kudos(5, "Found money I didn't know I was losing!")),
            at(6, 20, "oliver", Kudos(5, "The tidiest shoebox I've ever been given.")),
        ],
    },
    TradeSeed {
        proposer: "nadia", with: "hiroshi", listing: Some("App Store description and screenshot captions"),
        proposer_pays: false,
        description: "App Store description (300 words) and five screenshot captions",
        amount: 300, due_in_days: Some(-2), opened: Ago(8, 5),
        steps: &[
            at(8, 2, "hiroshi", Act(Accept)),
            at(4, 6, "nadia", Act(MarkDelivered)),
            at(4, 5, "nadia", Message("Two versions of the first line attached: one playful, one plain. Your call.")),
            at(3, 22, "hiroshi", Act(Confirm)),
            at(3, 21, "hiroshi", Kudos(5, "Downloads went up the week it went live.")),
            at(3, 20, "nadia", Kudos(5, "")),
            at(3, 19, "hiroshi", CloseListing),
        ],
    },
    // Resolved by the admin.
    TradeSeed {
        proposer: "mateo", with: "noor", listing: Some("Fix the donation form on a charity website"),
        proposer_pays: false,
        description: "Find and fix why donations over £100 never go through",
        amount: 200, due_in_days: Some(-4), opened: Ago(6, 9),
        steps: &[
            at(6, 7, "noor", Act(Accept)),
            at(5, 8, "mateo", Act(MarkDelivered)),
            at(5, 7, "mateo", Message("Fixed a JavaScript error in the plugin's checkout. Test donations go through now.")),
            at(4, 6, "noor", Say(Dispute, "A donor tried £150 this morning and the form still spins.")),
            at(4, 3, "mateo", Say(Answer, "Every test up to £100 works. Above that the payment provider asks for a check that is switched off in the charity's own account, which I can't reach.")),
            at(3, 5, "maya", Resolve(Resolution::Part(100), "Half the work was done and works. The rest sits in the charity's provider account, beyond Mateo's reach: paying half.")),
            at(3, 4, "noor", Kudos(4, "Fair in the end, and he showed me where the setting is.")),
            at(3, 2, "mateo", Kudos(4, "")),
        ],
    },
    TradeSeed {
        proposer: "tom", with: "tariq", listing: Some("Edit your talk or interview video"),
        proposer_pays: true,
        description: "Edit my 20-minute conference talk, with captions",
        amount: 360, due_in_days: Some(-7), opened: Ago(17, 4),
        steps: &[
            at(17, 1, "tariq", Act(Accept)),
            at(11, 6, "tariq", Act(MarkDelivered)),
            at(10, 8, "tom", Say(Dispute, "The Q&A at the end is missing, and that was the best part.")),
            at(10, 4, "tariq", Say(Answer, "We agreed on the 20-minute talk. The Q&A is another 15 minutes; happy to do it as a new trade.")),
            at(9, 6, "maya", Resolve(Resolution::Complete, "The terms say the 20-minute talk with captions, and that is what was delivered. Paying in full; the Q&A can be a new trade.")),
        ],
    },
    // Disputed, waiting for the admin.
    TradeSeed {
        proposer: "elena", with: "ben", listing: Some("Google Ads that don't burn your budget"),
        proposer_pays: true,
        description: "A small Google Ads campaign for my illustration shop, with tracking",
        amount: 300, due_in_days: Some(-4), opened: Ago(14, 3),
        steps: &[
            at(14, 1, "ben", Act(Accept)),
            at(9, 5, "elena", Message("Any news on the campaign?")),
            at(6, 2, "elena", Message("Ben, it's been a week. Is everything all right?")),
            at(2, 4, "elena", Say(Dispute, "Four days past the due date and no campaign, and no answer to my messages.")),
            at(1, 6, "ben", Say(Answer, "Sorry Elena: Google suspended the new account for verification and I went quiet out of embarrassment. It's verified now; I can launch this week.")),
        ],
    },
    TradeSeed {
        proposer: "kenji", with: "yusuf", listing: Some("A financial model your investors will believe"),
        proposer_pays: true,
        description: "A simple revenue and cash-flow model for my game studio",
        amount: 600, due_in_days: Some(-1), opened: Ago(12, 2),
        steps: &[
            at(11, 22, "yusuf", Act(Accept)),
            at(3, 4, "yusuf", Act(MarkDelivered)),
            at(2, 6, "kenji", Say(Dispute, "The model has yearly totals only. Monthly cash flow was the whole point: I need to know when we run out.")),
        ],
    },
    // Delivered, waiting for the payer.
    TradeSeed {
        proposer: "ravi", with: "amara", listing: Some("CV and LinkedIn review"),
        proposer_pays: true,
        description: "CV and LinkedIn review for a lead engineer role",
        amount: 150, due_in_days: Some(2), opened: Ago(4, 3),
        steps: &[
            at(4, 1, "amara", Act(Accept)),
            at(1, 4, "amara", Act(MarkDelivered)),
            at(1, 3, "amara", Message("Your new CV is in your inbox. Lead with the migration project!")),
        ],
    },
    TradeSeed {
        proposer: "finn", with: "chloe", listing: Some("Booking page for my photo studio"),
        proposer_pays: false,
        description: "Booking page with slots, deposits and confirmation emails",
        amount: 800, due_in_days: Some(3), opened: Ago(14, 2),
        steps: &[
            at(13, 20, "chloe", Counter("Booking page with slots, deposits and confirmation emails, on my existing site", 700)),
            at(13, 4, "finn", Message("700 is fine if I can reuse the calendar component from the bakery's site.")),
            at(13, 3, "finn", Act(Accept)),
            at(6, 4, "chloe", Message("Could the deposit be 20% rather than a fixed amount?")),
            at(6, 2, "finn", Message("Done, it's a setting now.")),
            at(2, 5, "finn", Act(MarkDelivered)),
        ],
    },
    TradeSeed {
        proposer: "julia", with: "kenji", listing: Some("Trademark check for my game's name"),
        proposer_pays: false,
        description: "Trademark search for \"Lantern Tide\" in games and software",
        amount: 250, due_in_days: Some(4), opened: Ago(4, 6),
        steps: &[
            at(4, 2, "kenji", Act(Accept)),
            at(3, 1, "julia", Act(MarkDelivered)),
            at(3, 0, "julia", Message("Good news: nothing close in class 9 or 41. One similar name in toys, no conflict.")),
        ],
    },
    // Accepted, in progress.
    TradeSeed {
        proposer: "lucas", with: "fatima", listing: Some("Photos of our team for the launch"),
        proposer_pays: false,
        description: "Team portraits and people at work, five people, in the space",
        amount: 300, due_in_days: Some(5), opened: Ago(6, 5),
        steps: &[
            at(6, 2, "fatima", Act(Accept)),
            at(5, 6, "lucas", Message("Wednesday after lunch? Ask everyone to avoid stripes.")),
            at(5, 4, "fatima", Message("Wednesday works. No stripes, noted.")),
        ],
    },
    TradeSeed {
        proposer: "david", with: "tomas", listing: Some("Postgres health check: slow queries, indexes, backups"),
        proposer_pays: true,
        description: "Health check of our analytics database before we double the data",
        amount: 400, due_in_days: Some(7), opened: Ago(3, 6),
        steps: &[
            at(3, 2, "tomas", Act(Accept)),
            at(2, 7, "tomas", Message("I have read access now. The biggest table has no index on the date column...")),
        ],
    },
    TradeSeed {
        proposer: "yusuf", with: "ingrid", listing: Some("Founder coaching: three sessions"),
        proposer_pays: true,
        description: "Three coaching sessions while I raise our first round",
        amount: 600, due_in_days: Some(12), opened: Ago(13, 5),
        steps: &[
            at(13, 1, "ingrid", Act(Accept)),
            at(8, 4, "yusuf", Say(AskToCancel, "The round has moved to next quarter, so I'd like to stop for now.")),
            at(7, 23, "ingrid", Act(RefuseToCancel)),
            at(7, 22, "ingrid", Message("We've had the first session, and the next two are exactly for when a round slips. Shall we carry on?")),
            at(7, 6, "yusuf", Message("Fair point. Next Tuesday then.")),
        ],
    },
    // Proposed, waiting for an answer.
    TradeSeed {
        proposer: "hiroshi", with: "emma", listing: Some("UX review of your app's sign-up flow"),
        proposer_pays: true,
        description: "UX review of the sign-up flow of my habit-tracking app",
        amount: 300, due_in_days: Some(10), opened: Ago(1, 3),
        steps: &[
            at(1, 2, "hiroshi", Message("TestFlight link is ready whenever you are.")),
        ],
    },
    TradeSeed {
        proposer: "leila", with: "noor", listing: Some("Grant application review before you submit"),
        proposer_pays: true,
        description: "Review of my application to the picture-book fund",
        amount: 400, due_in_days: Some(14), opened: Ago(5, 4),
        steps: &[
            at(4, 22, "noor", Counter("A lighter read of my application to the picture-book fund: the criteria and the budget only", 300)),
            at(4, 21, "noor", Message("I'm short of time this month, so I can offer a lighter read for 3.00.")),
            at(3, 6, "leila", Counter("A read of the criteria and the budget, and a second read after my edits", 350)),
            at(3, 5, "leila", Message("Could we add a quick second read once I've made changes?")),
        ],
    },
    TradeSeed {
        proposer: "sofia", with: "kenji", listing: None, proposer_pays: false,
        description: "Usability test of your game's tutorial with five new players",
        amount: 500, due_in_days: Some(9), opened: Ago(0, 20),
        steps: &[
            at(0, 19, "sofia", Message("Saw your playtest listing and thought the tutorial could use fresh eyes. I can find five players who've never seen it.")),
        ],
    },
    TradeSeed {
        proposer: "nadia", with: "liam", listing: Some("A newsletter that people actually open"),
        proposer_pays: false,
        description: "Rework your newsletter: subject lines, a new format and one issue written together",
        amount: 400, due_in_days: Some(16), opened: Ago(0, 6),
        steps: &[],
    },
    // Declined.
    TradeSeed {
        proposer: "tariq", with: "maya", listing: Some("Photos of the new meeting rooms for the website"),
        proposer_pays: false,
        description: "A one-minute video tour of the new rooms instead of photos",
        amount: 600, due_in_days: None, opened: Ago(11, 4),
        steps: &[
            at(11, 1, "maya", Message("Lovely idea, but the booking pages need stills. Keep the video in mind for the open day!")),
            at(11, 0, "maya", Act(Decline)),
        ],
    },
    TradeSeed {
        proposer: "hannah", with: "sara", listing: Some("Instagram strategy for a food stylist"),
        proposer_pays: false,
        description: "An Instagram plan to turn followers into bookings",
        amount: 300, due_in_days: None, opened: Ago(2, 8),
        steps: &[
            at(2, 3, "sara", Counter("An Instagram plan to turn followers into bookings", 200)),
            at(1, 23, "hannah", Message("I can't go below 3.00 for this one, sorry. Ask me again in the spring!")),
            at(1, 22, "hannah", Act(Decline)),
        ],
    },
    // Cancelled: a proposal withdrawn, a payee withdrawing from the work, a cancellation
    // both sides agreed.
    TradeSeed {
        proposer: "carlos", with: "david", listing: Some("Dashboards in Metabase or Looker Studio"),
        proposer_pays: true,
        description: "A dashboard of our cloud costs per project",
        amount: 400, due_in_days: None, opened: Ago(9, 4),
        steps: &[
            at(8, 6, "carlos", Say(Withdraw, "Found a free template that does what I need. Thanks anyway!")),
        ],
    },
    TradeSeed {
        proposer: "leila", with: "lena", listing: Some("English and Czech translation"),
        proposer_pays: true,
        description: "Czech translation of my picture book's text (about 900 words)",
        amount: 240, due_in_days: Some(6), opened: Ago(10, 5),
        steps: &[
            at(10, 2, "lena", Act(Accept)),
            at(8, 4, "lena", Say(WithdrawFromWork, "The text rhymes: it needs a literary translator, not me. Your credits are back with you, and I've sent you two names.")),
            at(8, 2, "leila", Message("Thank you for being honest, and for the names.")),
        ],
    },
    TradeSeed {
        proposer: "priya", with: "arjun", listing: Some("Self-assessment tax return, done together"),
        proposer_pays: true,
        description: "My first self-assessment return, filled in together",
        amount: 400, due_in_days: Some(11), opened: Ago(3, 7),
        steps: &[
            at(3, 4, "arjun", Act(Accept)),
            at(2, 2, "priya", Say(AskToCancel, "A friend who is an accountant did it with me over the weekend. Sorry!")),
            at(1, 20, "arjun", Act(AgreeToCancel)),
            at(1, 19, "arjun", Message("No problem at all. Come back next year!")),
        ],
    },
];
