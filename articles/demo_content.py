"""Demo content for the `load_demo` management command.

Pure data, no Django imports: sections, authors, syndication partners and 22 articles
that make every page of a fresh Newsroom site look like a working newspaper.

Every person, town, company and organisation named here is invented. Real countries
appear only as the setting of fictional events, attributed to invented officials.
The reference article (US-Japan defence, DoD News) is added separately; several
World and Politics pieces below share its tags so its tag pages are well stocked.

Article "hours_ago" is relative to the moment the command runs; a negative value
means a scheduled publication time in the future.
"""

DEMO_SECTIONS = [
    {
        "name": "World",
        "slug": "world",
        "description": "International news, diplomacy and security from our correspondents and wire partners.",
        "position": 1,
    },
    {
        "name": "Politics",
        "slug": "politics",
        "description": "Parliament, government, elections and the policy decisions that shape daily life.",
        "position": 2,
    },
    {
        "name": "Business",
        "slug": "business",
        "description": "Markets, companies, jobs and the economy, explained without the jargon.",
        "position": 3,
    },
    {
        "name": "Science",
        "slug": "science",
        "description": "Research, health, climate and technology, reported with care for the evidence.",
        "position": 4,
    },
    {
        "name": "Local",
        "slug": "local",
        "description": "Councils, transport, housing and hospitals in Eastbrook and the surrounding Lakeshore region.",
        "position": 5,
    },
    {
        "name": "Culture",
        "slug": "culture",
        "description": "Books, music, museums and the arts, with reviews and interviews from our critics.",
        "position": 6,
    },
]


DEMO_AUTHORS = [
    {
        "name": "Amara Okafor",
        "slug": "amara-okafor",
        "title": "Diplomatic correspondent",
        "bio": (
            "Amara Okafor covers diplomacy, aid and international institutions, and has reported from "
            "more than 30 countries. She previously worked as a foreign desk editor and speaks French and Igbo."
        ),
    },
    {
        "name": "Mei-Lin Hsu",
        "slug": "mei-lin-hsu",
        "title": "Asia-Pacific correspondent",
        "bio": (
            "Mei-Lin Hsu reports on security, trade and politics across East Asia and the Pacific. "
            "Before joining the paper she spent six years as a wire reporter based in Tokyo."
        ),
    },
    {
        "name": "Tomás Reyes",
        "slug": "tomas-reyes",
        "title": "Political editor",
        "bio": (
            "Tomás Reyes leads the paper's coverage of parliament, elections and government policy. "
            "He has covered four general elections and writes the weekly Inside the Chamber column."
        ),
    },
    {
        "name": "Daniel Brandt",
        "slug": "daniel-brandt",
        "title": "Economics correspondent",
        "bio": (
            "Daniel Brandt writes about interest rates, jobs, industry and trade. "
            "He trained as an economist before moving into journalism a decade ago."
        ),
    },
    {
        "name": "Priya Raman",
        "slug": "priya-raman",
        "title": "Science and health correspondent",
        "bio": (
            "Priya Raman covers medicine, climate science and space. "
            "She holds a doctorate in marine biology and has reported from research stations on three continents."
        ),
    },
    {
        "name": "Jonah Whitfield",
        "slug": "jonah-whitfield",
        "title": "Local affairs reporter",
        "bio": (
            "Jonah Whitfield reports on Eastbrook city council, housing and public services. "
            "He grew up in the Lakeshore region and started his career at a weekly community paper."
        ),
    },
    {
        "name": "Sofia Lindqvist",
        "slug": "sofia-lindqvist",
        "title": "Arts and culture critic",
        "bio": (
            "Sofia Lindqvist reviews books, classical music and exhibitions. "
            "She has judged two national literary prizes and teaches a criticism workshop each summer."
        ),
    },
]


DEMO_PUBLISHERS = [
    {
        "name": "Meridian Wire",
        "slug": "meridian-wire",
        "description": "Meridian Wire is an independent news agency supplying international text and photo coverage to member newspapers.",
        "website": "https://meridianwire.example.org",
    },
    {
        "name": "Lakeshore Public Radio",
        "slug": "lakeshore-public-radio",
        "description": "Lakeshore Public Radio is a listener-supported network covering the region from city hall to the concert hall.",
        "website": "https://lakeshoreradio.example.org",
    },
    {
        "name": "Halvorsen University News Office",
        "slug": "halvorsen-university-news",
        "description": "The Halvorsen University News Office publishes research findings and news from the university's faculties.",
        "website": "https://news.halvorsen-university.example.org",
    },
]


DEMO_ARTICLES = [
    # ------------------------------------------------------------------ World
    {
        "headline": "Pacific defence ministers agree to expand joint maritime patrols",
        "slug": "pacific-defence-ministers-agree-to-expand-joint-maritime-patrols",
        "dek": (
            "Officials from Japan, the United States and three regional partners said the rotating patrols "
            "would focus on disaster response and keeping sea lanes open."
        ),
        "body": (
            "<p>Defence officials from Japan, the United States, Australia, the Philippines and South Korea agreed on "
            "Saturday to expand joint maritime patrols in the western Pacific, committing ships and surveillance "
            "aircraft to a rotating schedule that is due to begin before the end of the year.</p>"
            "<p>Under the plan, 14 vessels and six patrol aircraft will take turns covering three zones stretching "
            "from the East China Sea to the waters north of Australia. Each partner will host at least one patrol "
            "rotation a year, and crews will share a common reporting system for the first time.</p>"
            "<p>“The sea lanes of the Indo-Pacific carry a third of the world’s trade, and keeping them open is a "
            "shared responsibility,” said Rear Adm. Catherine Ellery, a US Navy planner who briefed reporters after "
            "the two-day meeting. “No single navy can do that alone.”</p>"
            "<h2>Focus on disaster response</h2>"
            "<p>Officials stressed that much of the work would be humanitarian. Haruto Sugimoto, director of "
            "international policy at Japan’s defence ministry, said typhoons and earthquakes had tested the region’s "
            "militaries repeatedly in recent years. “When a storm closes a port, the first ships to arrive are often "
            "navy ships,” he said. “We want those ships to already know how to work together.”</p>"
            "<p>The agreement also commits the partners to more frequent exercises with coast guards from smaller "
            "Pacific island states, several of which lack long-range patrol vessels of their own.</p>"
            "<p>Lena Marsh, a senior fellow at the Harbour Institute for Strategic Studies, said the deal reflected "
            "growing concern over China’s expanding naval presence but had been framed carefully. “The language is "
            "about rules and rescue, not rivalry,” she said. China’s embassy did not respond to a request for "
            "comment.</p>"
        ),
        "section": "world",
        "authors": ["mei-lin-hsu"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Indo-Pacific", "Japan", "United States", "China", "Defence"],
        "hours_ago": 5,
        "image": {
            "alt": "A grey naval patrol ship sails through calm blue water with a second vessel on the horizon.",
            "caption": "A patrol vessel during a joint exercise in the western Pacific earlier this year.",
            "credit": "Kaito Moriyama / Meridian Wire",
            "colors": ["#1d3557", "#457b9d"],
            "label": "Joint patrols",
        },
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Japan and US open talks on co-producing air-defence interceptors",
        "slug": "japan-and-us-open-talks-on-co-producing-air-defence-interceptors",
        "dek": (
            "Negotiators will study whether Japanese factories can build components for interceptor missiles "
            "as stockpiles run low."
        ),
        "body": (
            "<p>Japan and the United States have opened formal talks on jointly producing components for air-defence "
            "interceptor missiles, officials from both governments said on Tuesday, as allied stockpiles come under "
            "pressure from the war in Ukraine and tensions in East Asia.</p>"
            "<p>A working group of about 40 defence and industry officials held its first session this week and is "
            "expected to report within six months on which parts could be manufactured in Japan and shipped to "
            "assembly lines in the United States.</p>"
            "<p>“Demand for interceptors has grown faster than anyone planned for,” said Marcus Adeyemi, a US defence "
            "acquisition official who took part in the talks. “Bringing a trusted ally’s production lines into the "
            "supply chain is one of the quickest ways to close that gap.”</p>"
            "<p>Japanese officials said any arrangement would comply with the country’s export rules, which were "
            "relaxed in recent years to allow some defence equipment to be transferred to partner nations. Yui "
            "Tanabe, a spokesperson for Japan’s defence equipment agency, said the talks would “proceed step by "
            "step, with full transparency to parliament.”</p>"
            "<p>Industry analysts said the effort could take several years to yield finished parts. “Qualifying a new "
            "factory for missile components is slow, careful work,” said Ingrid Solberg, an aerospace analyst at "
            "Northgate Research. “This is a long-term bet on the alliance.”</p>"
        ),
        "section": "world",
        "authors": [],
        "publisher": "meridian-wire",
        "original_url": "https://meridianwire.example.org/world/japan-us-interceptor-coproduction-talks",
        "rights": "© Meridian Wire. Republished under licence.",
        "tags": ["Japan", "United States", "Indo-Pacific", "Ukraine", "Defence"],
        "hours_ago": 19,
        "image": None,
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "European donors pledge winter energy aid for Ukraine’s battered power grid",
        "slug": "european-donors-pledge-winter-energy-aid-for-ukraines-battered-power-grid",
        "dek": (
            "A donor conference raised funds for transformers, generators and repair crews after months of "
            "strikes on power stations."
        ),
        "body": (
            "<p>European governments and development banks pledged about 1.8 billion euros on Thursday to help "
            "Ukraine repair its electricity network before winter, after months of Russian strikes on power "
            "stations and substations left millions of households facing rolling blackouts.</p>"
            "<p>The money will pay for heavy transformers, mobile gas turbines and thousands of smaller generators "
            "for hospitals, schools and water pumping stations, according to a statement issued at the end of the "
            "one-day donor conference.</p>"
            "<p>“Every transformer we deliver is a neighbourhood that stays warm,” said Elise Vandermeer, who "
            "coordinated the conference for a group of European energy ministries. She said the first shipments "
            "would leave within weeks.</p>"
            "<blockquote>“We are not only repairing what was destroyed. We are building a grid that is harder to "
            "switch off,” said Oleksandr Havryliuk, a deputy director at Ukraine’s grid operator, who addressed "
            "the conference by video link.</blockquote>"
            "<p>Engineers have increasingly turned to smaller, dispersed power sources, including rooftop solar and "
            "local gas units, which are harder to knock out than large central plants. Aid officials said about a "
            "quarter of the new funding was set aside for such projects.</p>"
            "<p>Humanitarian groups welcomed the pledges but warned that the money would need to arrive quickly. "
            "“Winter does not wait for procurement rules,” said Dagny Holt of the relief charity Northern Light "
            "Aid.</p>"
        ),
        "section": "world",
        "authors": ["amara-okafor"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Ukraine", "Russia", "Energy"],
        "hours_ago": 42,
        "image": {
            "alt": "Utility workers in orange helmets lift a cable onto a damaged electricity pylon under a grey sky.",
            "caption": "Repair crews work on a damaged high-voltage line outside a regional city in central Ukraine.",
            "credit": "Taras Melnyk / Meridian Wire",
            "colors": ["#264653", "#e9c46a"],
            "label": "Grid repairs",
        },
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "North Korea missile launch prompts emergency consultations in Tokyo and Seoul",
        "slug": "north-korea-missile-launch-prompts-emergency-consultations-tokyo-seoul",
        "dek": (
            "The ballistic missile flew for about 40 minutes before falling into the sea outside Japan’s "
            "exclusive economic zone, officials said."
        ),
        "body": (
            "<p>North Korea launched a ballistic missile early on Sunday that flew for about 40 minutes before "
            "falling into the sea west of Japan, prompting emergency consultations between officials in Tokyo, "
            "Seoul and Washington.</p>"
            "<p>Japan’s defence ministry said the missile reached an altitude of roughly 6,000 kilometres on a "
            "steep trajectory and landed outside the country’s exclusive economic zone. There were no reports of "
            "damage to ships or aircraft.</p>"
            "<p>“This launch is a clear violation of United Nations resolutions and a threat to the peace of the "
            "region,” said Takeshi Onodera, a senior official at Japan’s foreign ministry, in a televised statement. "
            "He said Japan had lodged a protest through diplomatic channels.</p>"
            "<p>South Korea’s joint chiefs of staff said they had tracked the launch from an area near the North’s "
            "capital and had raised their surveillance posture. The United States said it was consulting closely "
            "with both allies and that its commitment to their defence was “ironclad.”</p>"
            "<p>The launch was the fourth this year. Analysts said the long flight time suggested a missile capable "
            "of intercontinental range. “The pattern points to steady testing rather than a one-off signal,” said "
            "Park Ji-won, a researcher at the Seoul-based Centre for Peninsula Studies.</p>"
        ),
        "section": "world",
        "authors": [],
        "publisher": "meridian-wire",
        "original_url": "https://meridianwire.example.org/world/north-korea-missile-launch-consultations",
        "rights": "© Meridian Wire. Republished under licence.",
        "tags": ["North Korea", "Japan", "United States", "Indo-Pacific"],
        "hours_ago": 8,
        "image": None,
        "status": "published",
        "comment_policy": "closed",
    },
    {
        "headline": "Pacific island nations press for faster climate finance at regional summit",
        "slug": "pacific-island-nations-press-for-faster-climate-finance-at-regional-summit",
        "dek": (
            "Leaders said promised funds for sea walls and relocation were arriving too slowly, and called for "
            "simpler rules on access."
        ),
        "body": (
            "<p>Leaders of Pacific island nations on Wednesday called on wealthy countries to speed up the delivery "
            "of promised climate finance, saying complex application rules were holding back sea walls, water "
            "tanks and the relocation of villages threatened by rising seas.</p>"
            "<p>In a joint declaration at the end of a three-day regional summit, 12 governments said less than half "
            "of the funding pledged to the region over the past five years had actually been spent on projects.</p>"
            "<p>“We are asked to fill in forms for two years to build a wall that the sea will reach in five,” said "
            "Losana Vuki, the summit’s chair and environment minister of one of the smallest states in the group. "
            "“The money exists. The problem is the paperwork.”</p>"
            "<p>Donor representatives at the meeting said they were working to simplify procedures. A joint statement "
            "from several development agencies promised a single application process for smaller projects by next "
            "year.</p>"
            "<p>Scientists at the summit presented new data showing sea levels in parts of the western Pacific "
            "rising at nearly twice the global average. Several low-lying communities have already moved inland, "
            "and dozens more are preparing to do so, according to the declaration.</p>"
        ),
        "section": "world",
        "authors": ["amara-okafor"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Climate", "Indo-Pacific", "Oceans"],
        "hours_ago": 130,
        "image": None,
        "status": "published",
        "comment_policy": "open",
    },
    # --------------------------------------------------------------- Politics
    {
        "headline": "Committee backs bill to overhaul regional transport funding",
        "slug": "committee-backs-bill-to-overhaul-regional-transport-funding",
        "dek": (
            "The bill would give regional authorities five-year budgets for buses and rail instead of annual "
            "grants, a change councils have sought for a decade."
        ),
        "body": (
            "<p>A parliamentary committee on Monday backed a bill that would overhaul how regional transport is "
            "funded, clearing the way for a vote in the full chamber before the summer recess.</p>"
            "<p>The Regional Transport Funding Bill would replace annual grants with five-year budgets for bus and "
            "rail services, a change that local authorities say would let them sign longer contracts with operators "
            "and plan new routes with more confidence.</p>"
            "<p>The committee approved the bill by nine votes to four, with three amendments:</p>"
            "<ol>"
            "<li>An annual report to parliament on how the money is spent in each region.</li>"
            "<li>A guaranteed minimum share of funding for rural bus services.</li>"
            "<li>A review of the whole scheme after three years.</li>"
            "</ol>"
            "<p>“For too long councils have been asked to run a railway on a one-year shopping list,” said Helen "
            "Achterberg, who chairs the committee. “This bill gives them the time to plan properly.”</p>"
            "<p>Opposition members on the committee said the bill did not say where the money would come from. "
            "“A five-year promise is only as good as the budget behind it,” said committee member Rafael Quintero. "
            "The finance ministry estimates the scheme will cost about 2.4 billion over its first five years.</p>"
        ),
        "section": "politics",
        "authors": ["tomas-reyes"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Transport", "Economy"],
        "hours_ago": 27,
        "image": None,
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Defence review calls for deeper ties with Japan and Pacific partners",
        "slug": "defence-review-calls-for-deeper-ties-with-japan-and-pacific-partners",
        "dek": (
            "An independent panel recommends more joint training and shared maintenance with allies in the "
            "Indo-Pacific, while keeping commitments in Europe."
        ),
        "body": (
            "<p>An independent review of the country’s defence posture has recommended closer military ties with "
            "Japan, the United States and other Pacific partners, arguing that security in Europe and Asia can no "
            "longer be treated separately.</p>"
            "<p>The 180-page report, published on Friday by a panel of former officials and academics, was "
            "commissioned by the defence ministry last year. Ministers have said they will respond formally within "
            "three months.</p>"
            "<h2>Main recommendations</h2>"
            "<ul>"
            "<li>Regular joint training with Japanese and US forces, including an annual exercise in the Pacific.</li>"
            "<li>Shared maintenance of ships and aircraft at partner bases to cut repair times.</li>"
            "<li>A new liaison office in Tokyo to coordinate research and equipment projects.</li>"
            "<li>Continued support for Ukraine and existing commitments in Europe.</li>"
            "</ul>"
            "<p>“What happens in the Taiwan Strait or the Sea of Japan affects our trade routes as directly as what "
            "happens in the Baltic,” said Margaret Oduya, a former deputy chief of staff who led the panel. “Our "
            "planning has to reflect that.”</p>"
            "<h2>Cost questions</h2>"
            "<p>The review estimates the recommendations would add about 0.2 percent of GDP to annual defence "
            "spending by the end of the decade. Critics said that figure was optimistic. “Every review promises "
            "reach on a modest budget,” said Colin Farrant, a defence economist at Westbridge University. The "
            "review said China’s military growth and Russia’s war in Ukraine made the case for acting now.</p>"
        ),
        "section": "politics",
        "authors": ["tomas-reyes", "mei-lin-hsu"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Japan", "United States", "Indo-Pacific", "China", "Defence"],
        "hours_ago": 60,
        "image": {
            "alt": "A thick printed report with a plain blue cover lies on a wooden table beside a pair of glasses.",
            "caption": "The independent defence review runs to 180 pages and makes 23 recommendations.",
            "credit": "Noor Haddad / Newsroom",
            "colors": ["#2b2d42", "#8d99ae"],
            "label": "Defence review",
        },
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Electoral commission proposes two weeks of early voting before spring elections",
        "slug": "electoral-commission-proposes-two-weeks-of-early-voting-before-spring-elections",
        "dek": ("The commission also wants online voter registration to stay open until ten days before polling day."),
        "body": (
            "<p>The national electoral commission on Thursday proposed allowing two weeks of early in-person voting "
            "before next spring’s regional elections, a change it said would ease queues and help shift workers "
            "and carers cast their ballots.</p>"
            "<p>Under the proposal, every district would open at least one early voting centre, with larger towns "
            "required to open one for every 50,000 registered voters. The commission also wants online registration "
            "to remain open until ten days before polling day, instead of the current 28.</p>"
            "<p>“Voting should fit around people’s lives, not the other way round,” said Annelise Brook, the "
            "commission’s chief executive. She said turnout among voters under 30 had fallen for three elections in "
            "a row.</p>"
            "<p>Party officials gave the plan a cautious welcome but raised concerns about cost and security. The "
            "commission estimates early voting would cost about 18 million per election, and said ballots would be "
            "stored under the same sealed-box rules that apply on polling day.</p>"
            "<p>The proposals are open to public comment for eight weeks on the "
            '<a href="https://elections.example.org/consultations/early-voting">commission’s consultation page</a>. '
            "Parliament would need to amend electoral law before the changes could take effect.</p>"
        ),
        "section": "politics",
        "authors": ["tomas-reyes"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Elections", "Technology"],
        "hours_ago": 95,
        "image": None,
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Ministers to publish long-awaited review of school funding formula",
        "slug": "ministers-to-publish-long-awaited-review-of-school-funding-formula",
        "dek": (
            "The review is expected to shift money towards rural schools and pupils with additional needs, "
            "ahead of next year’s elections."
        ),
        "body": (
            "<p>The government will on Thursday publish its long-awaited review of the formula used to divide "
            "school funding between regions, a document that head teachers say will decide whether many small "
            "schools can stay open.</p>"
            "<p>The current formula, largely unchanged for 15 years, allocates money mainly by pupil numbers. "
            "Rural schools and those with many pupils who need additional support have long argued that it "
            "leaves them short.</p>"
            "<p>“A school with 60 pupils still needs a head teacher, a roof and a heating bill,” said Grace "
            "Mbatha, who leads a federation of village schools. “The formula has never understood that.”</p>"
            "<p>Officials familiar with the review said it would recommend a fixed minimum payment for every "
            "school, weighted extra funding for pupils with special educational needs, and a three-year "
            "transition so that no school loses more than 2 percent of its budget in any single year.</p>"
            "<p>The timing is politically sensitive, with regional elections due next spring. Opposition "
            "education spokespeople have said they will judge the review on whether it brings new money or only "
            "moves existing budgets around.</p>"
        ),
        "section": "politics",
        "authors": ["tomas-reyes"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Education", "Elections", "Economy"],
        "hours_ago": -48,
        "image": None,
        "status": "scheduled",
        "comment_policy": "open",
    },
    # --------------------------------------------------------------- Business
    {
        "headline": "Central bank holds rates as inflation eases for third straight month",
        "slug": "central-bank-holds-rates-as-inflation-eases-for-third-straight-month",
        "dek": (
            "Policymakers kept the benchmark rate at 4.25 percent but signalled cuts could come next year if "
            "price growth keeps slowing."
        ),
        "body": (
            "<p>The central bank held its benchmark interest rate at 4.25 percent on Wednesday, saying inflation "
            "was easing but remained too high to justify a cut.</p>"
            "<p>Consumer prices rose 3.1 percent in the year to last month, down from 3.6 percent the month "
            "before and the third consecutive decline. Food and energy prices fell, while the cost of rent and "
            "services continued to climb.</p>"
            "<blockquote>“We are making progress, but the last stretch of the journey back to target is often the "
            "hardest,” the bank’s governor, Eleanor Whitcombe, told a news conference. “We would rather be "
            "patient now than reverse course later.”</blockquote>"
            "<p>Seven of the nine members of the rate-setting committee voted to hold. Two voted for a cut of a "
            "quarter of a percentage point, citing weaker hiring and falling business investment.</p>"
            "<p>Economists said the decision was widely expected. “The message is that cuts are coming, just not "
            "yet,” said Ravi Chandran, chief economist at the brokerage Ashdown Partners. Markets now expect the "
            "first reduction early next year.</p>"
            "<p>The decision offers little immediate relief to households with variable-rate mortgages, who have "
            "seen average monthly repayments rise by about a fifth over two years, according to the bank’s own "
            "figures.</p>"
        ),
        "section": "business",
        "authors": ["daniel-brandt"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Economy", "Housing"],
        "hours_ago": 14,
        "image": {
            "alt": "The stone columns and bronze doors of a central bank building photographed from street level.",
            "caption": "The central bank’s headquarters, where the rate-setting committee meets eight times a year.",
            "credit": "Lucas Ferreira / Newsroom",
            "colors": ["#3d405b", "#f2cc8f"],
            "label": "Rates on hold",
        },
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Shipping costs climb as exporters reroute around congested ports",
        "slug": "shipping-costs-climb-as-exporters-reroute-around-congested-ports",
        "dek": (
            "Container rates on some Asia-Europe routes have risen by more than 40 percent in a month as "
            "vessels queue outside major hubs."
        ),
        "body": (
            "<p>The cost of shipping a container between Asia and Europe has risen sharply over the past month as "
            "congestion at several major ports forces carriers to reroute vessels and skip scheduled stops, "
            "freight analysts said on Monday.</p>"
            "<p>Spot rates for a 40-foot container from China to northern Europe climbed 43 percent in four weeks, "
            "according to an index compiled by the freight data firm Tidemark Analytics. Rates on trans-Pacific "
            "routes rose by a smaller 12 percent.</p>"
            "<p>Analysts pointed to several causes:</p>"
            "<ul>"
            "<li>Bad weather that closed two large terminals for several days.</li>"
            "<li>A shortage of empty containers in some export hubs.</li>"
            "<li>Carriers holding back capacity after a year of weak prices.</li>"
            "</ul>"
            "<p>“When one big port sneezes, the whole network catches a cold,” said Anneke de Vries, a senior "
            "analyst at Tidemark. “Ships that miss a slot can lose a week, and that week ripples through every "
            "schedule downstream.”</p>"
            "<p>Exporters of furniture, electronics and clothing said they were warning customers of delays of up "
            "to three weeks. Trade groups said the increases were unlikely to push up shop prices quickly, since "
            "most large retailers ship under longer-term contracts.</p>"
        ),
        "section": "business",
        "authors": [],
        "publisher": "meridian-wire",
        "original_url": "https://meridianwire.example.org/business/shipping-costs-congested-ports",
        "rights": "© Meridian Wire. Republished under licence.",
        "tags": ["Trade", "Transport", "China", "Economy"],
        "hours_ago": 70,
        "image": None,
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Battery maker to build plant on former steelworks site, promising 1,200 jobs",
        "slug": "battery-maker-to-build-plant-on-former-steelworks-site-promising-1200-jobs",
        "dek": (
            "Voltaris says the factory will supply batteries for buses and grid storage, with production "
            "starting in three years."
        ),
        "body": (
            "<p>The battery manufacturer Voltaris said on Tuesday it would build a factory on the site of a "
            "steelworks that closed nine years ago, promising 1,200 permanent jobs in a town where unemployment "
            "remains well above the national average.</p>"
            "<p>The 900 million investment will produce batteries for electric buses, delivery vans and "
            "large-scale energy storage, the company said. Construction is due to start next spring, with the "
            "first cells coming off the line in three years.</p>"
            "<h2>A second life for the site</h2>"
            "<p>The steelworks once employed more than 4,000 people. Since its closure the land has been cleared "
            "and decontaminated with public money, and local officials have spent years looking for a buyer.</p>"
            "<p>“People here know how to make heavy, precise things in big quantities,” said Voltaris chief "
            "executive Nadia Kowalczyk. “That is exactly what battery making needs.” She said the company would "
            "run a training programme with the local technical college.</p>"
            "<h3>Support and scepticism</h3>"
            "<p>The government will contribute 150 million in grants, tied to job numbers. Some economists "
            "questioned the subsidy. “These plants are expensive and the market is crowded,” said Hugo Lambert of "
            "the Fiscal Studies Forum. “Taxpayers need clear clawback terms if the jobs do not appear.” Voltaris "
            "said the agreement included such terms.</p>"
        ),
        "section": "business",
        "authors": ["daniel-brandt"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Energy", "Technology", "Economy"],
        "hours_ago": 110,
        "image": {
            "alt": "A wide, empty industrial site with a single rusting crane standing against an evening sky.",
            "caption": "The former steelworks site, cleared after the plant closed nine years ago.",
            "credit": "Abena Mensah / Newsroom",
            "colors": ["#6d597a", "#e56b6f"],
            "label": "Battery plant",
        },
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Small retailers report slow holiday trading despite online boost",
        "slug": "small-retailers-report-slow-holiday-trading-despite-online-boost",
        "dek": (
            "Independent shops say footfall fell while online orders rose, leaving sales roughly flat on last year."
        ),
        "body": (
            "<p>Independent retailers had a subdued holiday season, with fewer shoppers on high streets only partly "
            "offset by a rise in online orders, according to a survey published on Monday by the Association of "
            "Independent Traders.</p>"
            "<p>Of the 1,400 shops surveyed, 46 percent said sales were lower than a year earlier, 31 percent "
            "reported an increase and the rest said trading was flat. Footfall was down an average of 6 percent.</p>"
            "<p>“Customers are still buying, but they are buying carefully and later,” said Moira Gallagher, the "
            "association’s director. “Many waited for discounts that small shops simply cannot afford to match.”</p>"
            "<p>Online sales rose 11 percent among shops that sell through their own websites, the survey found. "
            "Owners said delivery costs had eaten into margins.</p>"
            "<p>The association called for a cut in business property taxes for shops with fewer than ten staff.</p>"
        ),
        "section": "business",
        "authors": ["daniel-brandt"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Economy", "Technology"],
        "hours_ago": 240,
        "image": None,
        "status": "draft",
        "comment_policy": "open",
    },
    # ---------------------------------------------------------------- Science
    {
        "headline": "Coral reefs show patchy recovery two years after marine heatwave, survey finds",
        "slug": "coral-reefs-show-patchy-recovery-two-years-after-marine-heatwave",
        "dek": (
            "Divers from Halvorsen University resurveyed 86 reef sites and found strong regrowth in some areas "
            "and almost none in others."
        ),
        "body": (
            "<p>Coral reefs damaged by a record marine heatwave two years ago are recovering unevenly, with some "
            "sites regaining most of their coral cover while others show almost no regrowth, according to a "
            "survey led by researchers at Halvorsen University.</p>"
            "<p>The team resurveyed 86 reef sites across the western Pacific that had been mapped before and "
            "immediately after the heatwave. On average, live coral cover had recovered to 61 percent of its "
            "pre-heatwave level, but the range was wide: from 95 percent at some sheltered sites to under 10 "
            "percent at others.</p>"
            "<p>“Reefs are resilient, but only when they get a break,” said Professor Ana Tupou, the marine "
            "ecologist who led the study. “Where the water stayed cooler and fishing pressure was low, we saw "
            "remarkable regrowth. Where a second warm spell hit, recovery stalled.”</p>"
            "<p>The researchers found that reefs near river mouths, where sediment and nutrients run off the land, "
            "recovered most slowly. Sites inside marine protected areas recovered about 20 percent faster than "
            "comparable sites outside them.</p>"
            "<p>The findings, published in the journal <em>Reef Systems Ecology</em>, add to evidence that local "
            "protection can buy time for reefs while global emissions remain high. The full dataset is available "
            'from the <a href="https://news.halvorsen-university.example.org/data/reef-survey">university’s '
            "research portal</a>.</p>"
        ),
        "section": "science",
        "authors": [],
        "publisher": "halvorsen-university-news",
        "original_url": "https://news.halvorsen-university.example.org/2024/coral-reef-recovery-survey",
        "rights": "© Halvorsen University. Republished with permission.",
        "tags": ["Climate", "Indo-Pacific", "Oceans"],
        "hours_ago": 36,
        "image": {
            "alt": "A diver hovers above a reef where bright new coral grows beside patches of pale, bleached coral.",
            "caption": "A researcher records coral regrowth at one of the 86 survey sites.",
            "credit": "Halvorsen University Marine Unit",
            "colors": ["#0077b6", "#90e0ef"],
            "label": "Reef recovery",
        },
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Weekly balance classes cut falls among older adults by a third, trial finds",
        "slug": "weekly-balance-classes-cut-falls-among-older-adults-by-a-third-trial-finds",
        "dek": (
            "The year-long trial followed 1,100 people aged 70 and over, half of whom attended a one-hour "
            "class each week."
        ),
        "body": (
            "<p>A weekly one-hour balance and strength class cut the number of falls among people aged 70 and over "
            "by about a third, according to a year-long clinical trial run by Halvorsen University’s school of "
            "medicine.</p>"
            "<p>The trial enrolled 1,100 volunteers living independently in their own homes. Half were offered the "
            "classes, held in community halls and led by trained instructors, and half received a leaflet with "
            "advice on preventing falls.</p>"
            "<p>Over 12 months, the class group reported 0.62 falls per person compared with 0.94 in the leaflet "
            "group. Hospital admissions for fall-related injuries were also lower, though the difference was "
            "smaller.</p>"
            "<blockquote>“Falls are not an inevitable part of getting older. A modest amount of the right exercise, "
            "done regularly and in company, makes a real difference,” said Dr. Samuel Osei, the geriatrician who "
            "led the trial.</blockquote>"
            "<p>Researchers said the social side of the classes appeared to matter: attendance stayed above 70 "
            "percent for the whole year, far higher than in earlier studies of home exercise programmes.</p>"
            "<p>The team estimated the classes cost about 180 per participant per year, less than the average cost "
            "of a single emergency visit after a fall. The results were published in the "
            "<em>Journal of Ageing and Health</em>.</p>"
        ),
        "section": "science",
        "authors": [],
        "publisher": "halvorsen-university-news",
        "original_url": "https://news.halvorsen-university.example.org/2024/balance-classes-falls-trial",
        "rights": "© Halvorsen University. Republished with permission.",
        "tags": ["Health", "Education"],
        "hours_ago": 85,
        "image": None,
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "New satellite will track methane leaks from orbit, space agency says",
        "slug": "new-satellite-will-track-methane-leaks-from-orbit-space-agency-says",
        "dek": (
            "The satellite is designed to spot individual leaking wells and pipelines and publish the data within days."
        ),
        "body": (
            "<p>A satellite designed to pinpoint methane leaks from oil and gas sites, landfills and farms will be "
            "launched next year, the national space agency said on Friday, in a project that scientists say could "
            "make one of the most potent greenhouse gases far easier to police.</p>"
            "<p>The instrument will be able to detect plumes from individual facilities as small as a single well "
            "pad, the agency said, and will revisit most regions every three days.</p>"
            "<h2>Why methane matters</h2>"
            "<p>Methane traps far more heat than carbon dioxide over its first two decades in the atmosphere, and "
            "scientists estimate it is responsible for around 30 percent of the warming seen since pre-industrial "
            "times. Because it breaks down relatively quickly, cutting leaks is seen as one of the fastest ways to "
            "slow warming.</p>"
            "<p>“A lot of methane escapes from equipment that nobody knows is broken,” said Dr. Irene Castellanos, "
            "the mission’s lead scientist. “If you can see a leak from space, you can fix it within days instead of "
            "discovering it years later.”</p>"
            "<h2>Open data</h2>"
            "<p>The agency said it would publish detections on a public map within 72 hours. Energy companies said "
            "they welcomed better data but asked for a chance to verify readings before they are released.</p>"
            "<p>The mission is expected to cost about 310 million over its five-year design life.</p>"
        ),
        "section": "science",
        "authors": ["priya-raman"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Climate", "Energy", "Technology"],
        "hours_ago": 290,
        "image": None,
        "status": "published",
        "comment_policy": "open",
    },
    # ------------------------------------------------------------------ Local
    {
        "headline": "Council approves 400 homes on former Eastbrook rail yard",
        "slug": "council-approves-400-homes-on-former-eastbrook-rail-yard",
        "dek": (
            "A third of the homes will be offered at below-market rents, and the developer will pay for a new "
            "footbridge to the station."
        ),
        "body": (
            "<p>Eastbrook city council on Tuesday night approved plans for 400 homes on the disused Fenwick Lane "
            "rail yard, ending a five-year dispute over one of the largest empty sites in the city.</p>"
            "<p>Councillors voted 11 to 4 in favour after a three-hour meeting attended by more than 100 "
            "residents. The scheme, by the developer Harrowby Homes, includes 136 homes at below-market rents, "
            "a small park and ground-floor space for shops and a health clinic.</p>"
            "<p>“This city needs homes, and this is a site next to a railway station that has been sitting empty "
            "for a generation,” said councillor Ruth Adebayo, who chairs the planning committee.</p>"
            "<p>Residents of neighbouring streets had raised concerns about traffic and the height of two "
            "eight-storey blocks. As a condition of approval, the developer will fund a pedestrian footbridge to "
            "Eastbrook Central station and limit parking to one space for every three homes.</p>"
            "<p>“We are not against homes. We are against a car park’s worth of traffic on a street built for "
            "horses,” said Martin Lowe of the Fenwick Residents’ Association, which says it will consider "
            "whether to seek a review.</p>"
            "<p>Construction is expected to begin next year and take about four years.</p>"
        ),
        "section": "local",
        "authors": ["jonah-whitfield"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Housing", "Transport", "Eastbrook"],
        "hours_ago": 22,
        "image": {
            "alt": "Overgrown railway sidings and an old brick engine shed, with city apartment blocks in the background.",
            "caption": "The Fenwick Lane rail yard, which has been empty since freight services stopped in the 1990s.",
            "credit": "Jonah Whitfield / Newsroom",
            "colors": ["#606c38", "#dda15e"],
            "label": "Rail yard homes",
        },
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Eastbrook buses to run late-night routes from next month",
        "slug": "eastbrook-buses-to-run-late-night-routes-from-next-month",
        "dek": (
            "Four routes will run until 2 a.m. on Fridays and Saturdays in a six-month trial aimed at hospitality "
            "and hospital workers."
        ),
        "body": (
            "<p>Four of Eastbrook’s busiest bus routes will run until 2 a.m. on Friday and Saturday nights from "
            "next month, in a six-month trial the regional transport authority says is aimed mainly at people "
            "working late shifts.</p>"
            "<p>The routes link the city centre with the General Hospital, the university campus and the "
            "northern and eastern suburbs. Buses will run every 30 minutes after the current last departures at "
            "11.30 p.m.</p>"
            "<p>“Nurses, cleaners and kitchen staff have told us for years that the last bus leaves before their "
            "shift ends,” said Priti Desai, head of network planning at the Lakeshore Transport Authority. "
            "“This trial is for them first.”</p>"
            "<p>The trial will cost about 420,000 and is funded partly by a levy on late-licence venues. The "
            "authority will decide whether to keep the service after counting passengers and surveying riders.</p>"
            "<p>Each bus will carry a trained safety steward, a measure requested by unions representing "
            "drivers.</p>"
        ),
        "section": "local",
        "authors": [],
        "publisher": "lakeshore-public-radio",
        "original_url": "https://lakeshoreradio.example.org/news/eastbrook-late-night-buses-trial",
        "rights": "© Lakeshore Public Radio. Republished under a content-sharing agreement.",
        "tags": ["Transport", "Eastbrook"],
        "hours_ago": 50,
        "image": None,
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Hospital trust apologises after review finds delays in maternity care",
        "slug": "hospital-trust-apologises-after-review-finds-delays-in-maternity-care",
        "dek": (
            "An independent review of Eastbrook and Vale Hospitals found staffing gaps led to delays for some "
            "women in labour. The trust says it has accepted every recommendation."
        ),
        "body": (
            "<p>The Eastbrook and Vale Hospitals Trust has apologised to families after an independent review "
            "found that staff shortages led to delays in care for some women in labour over an 18-month period.</p>"
            "<p>The review, commissioned by the trust’s board, examined 212 cases referred by families and staff. "
            "It found that in 37 of them, care fell below expected standards, most often because midwives were "
            "moved between wards to cover gaps in the rota.</p>"
            "<h2>What the review found</h2>"
            "<ul>"
            "<li>Midwife vacancies reached 19 percent at the peak of the period examined.</li>"
            "<li>Concerns raised by staff were logged but not always escalated to senior managers.</li>"
            "<li>Some families said they were not given clear explanations after things went wrong.</li>"
            "</ul>"
            "<p>“We are deeply sorry. Families trusted us at one of the most important moments of their lives, and "
            "in these cases we did not meet the standard they deserved,” said the trust’s chief nurse, Bernadette "
            "Quayle. She said 41 midwives had been recruited since the period covered by the review.</p>"
            "<p>The review’s author, retired obstetrician Dr. Lionel Achebe, said the unit was now safer but that "
            "progress had to be sustained. The full report is published on the "
            '<a href="https://eastbrook-vale-hospitals.example.org/maternity-review">trust’s website</a>.</p>'
            "<p>Families affected by the issues raised can contact an independent support line set up by the "
            "trust.</p>"
        ),
        "section": "local",
        "authors": ["jonah-whitfield", "priya-raman"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Health", "Eastbrook"],
        "hours_ago": 150,
        "image": None,
        "status": "published",
        "comment_policy": "hold",
    },
    # ---------------------------------------------------------------- Culture
    {
        "headline": "Museum returns carved canoe prow to island community after 140 years",
        "slug": "museum-returns-carved-canoe-prow-to-island-community-after-140-years",
        "dek": (
            "The prow, taken by a trader in the 1880s, will go on display in a new cultural centre built by the "
            "community that carved it."
        ),
        "body": (
            "<p>The National Museum of Ethnography has returned a carved wooden canoe prow to the Pacific island "
            "community it was taken from more than 140 years ago, in a ceremony attended by elders who travelled "
            "for three days to collect it.</p>"
            "<p>The prow, about 1.2 metres long and decorated with inlaid shell, was acquired by a trader in the "
            "1880s and sold to the museum in 1902. Museum records show no evidence that its makers agreed to its "
            "removal.</p>"
            "<blockquote>“For our grandparents this was not an object. It was part of a canoe that carried people, "
            "and it carries our history,” said Elder Tavita Maka, who received the prow on behalf of the "
            "community.</blockquote>"
            "<p>The museum’s director, Johanna Verhoeven, said the return was the fourth from its Pacific "
            "collections in two years. “We hold these objects in trust. When the people who made them ask for "
            "them back, listening is part of our job,” she said.</p>"
            "<p>The prow will go on display in a community cultural centre due to open next year. The museum "
            "will keep a detailed 3D scan, made with the community’s permission, for research and teaching.</p>"
        ),
        "section": "culture",
        "authors": ["sofia-lindqvist"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Arts", "History", "Indo-Pacific"],
        "hours_ago": 75,
        "image": {
            "alt": "A long carved wooden canoe prow inlaid with white shell rests on a padded museum table.",
            "caption": "The canoe prow before its return, photographed in the museum’s conservation studio.",
            "credit": "Marta Ilves / National Museum of Ethnography",
            "colors": ["#7f5539", "#ede0d4"],
            "label": "Canoe prow",
        },
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Folk archive puts 50 years of regional radio recordings online",
        "slug": "folk-archive-puts-50-years-of-regional-radio-recordings-online",
        "dek": ("More than 6,000 field recordings of songs, fiddle tunes and oral histories are now free to stream."),
        "body": (
            "<p>More than 6,000 recordings of folk songs, fiddle tunes and spoken memories gathered across the "
            "Lakeshore region over half a century went online this week, after a three-year project to digitise "
            "a fragile tape collection.</p>"
            "<p>The recordings were made between 1968 and 2018, many of them by producers travelling to farms, "
            "fishing harbours and village halls with portable tape machines. Some singers recorded are the only "
            "known sources for particular songs.</p>"
            "<p>“Some of these tapes were literally falling apart in our hands,” said archivist Colm Brennan, who "
            "led the project. “We had to bake a few of them at low temperature just to play them one last time.”</p>"
            "<p>The archive is searchable by place, performer and instrument. Volunteers have transcribed lyrics for "
            "about a third of the songs so far, and the project is inviting listeners to help identify unnamed "
            "performers.</p>"
            "<p>Musicians say the collection is already being used. “I learned three tunes from it last week that "
            "my own grandfather used to play,” said fiddler Maeve Sorensen.</p>"
        ),
        "section": "culture",
        "authors": [],
        "publisher": "lakeshore-public-radio",
        "original_url": "https://lakeshoreradio.example.org/arts/folk-archive-online",
        "rights": "© Lakeshore Public Radio. Republished under a content-sharing agreement.",
        "tags": ["Music", "History", "Technology"],
        "hours_ago": 205,
        "image": None,
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Review: A fishing town’s last summer, told with quiet precision",
        "slug": "review-a-fishing-towns-last-summer-told-with-quiet-precision",
        "dek": (
            "Hanne Ostby’s second novel follows three generations as the cannery closes. It is small in scale "
            "and enormous in feeling."
        ),
        "body": (
            "<p>Nothing dramatic happens for the first hundred pages of <em>The Salt Year</em>, and that is "
            "precisely its strength. Hanne Ostby’s second novel follows a single family through the last summer "
            "before the cannery in their northern harbour town closes for good.</p>"
            "<p>The story moves between Ingrid, who has gutted fish on the same line for 31 years, her son Arne, "
            "who wants to stay and cannot see how, and her granddaughter Liv, who has already half left. Ostby "
            "gives each of them a distinct voice without ever announcing it.</p>"
            "<p>Her prose is spare and exact. A kitchen table, a tide chart, a dented thermos: the details do the "
            "emotional work that lesser novels hand to dialogue. When grief arrives, late in the book, it lands "
            "all the harder for having been held back.</p>"
            "<p>There are weaknesses. A subplot involving a visiting developer feels schematic, and the final "
            "chapter ties up more than it needs to. But these are small complaints about a book that understands "
            "how a place can end while the people in it carry on.</p>"
            "<p><strong>The Salt Year</strong> by Hanne Ostby, 288 pages, is published by Granite Lane Press.</p>"
        ),
        "section": "culture",
        "authors": ["sofia-lindqvist"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Books", "Arts"],
        "hours_ago": 360,
        "image": None,
        "status": "published",
        "comment_policy": "open",
    },
]
