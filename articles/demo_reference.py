"""The reference article: shared/reference/seed-article.txt, a US Department of Defense story
(public domain), which the demo site must show with exactly this headline, body and publisher."""

HEADLINE = "US, Japan Defense Ministers Pledge To Defend Rules-Based Order"

DEK = "Secretary of Defense Lloyd J. Austin III and Japanese Defense Minister Nobuo Kishi met at the Pentagon."

BODY_PARAGRAPHS = [
    "Secretary of Defense Lloyd J. Austin III and Japanese Defense Minister Nobuo Kishi pledged to work together to defend the international rules-based architecture wherever it is threatened.",
    "The treaty allies met at the Pentagon Wednesday, with the Japanese minister saying that since Russia’s invasion of Ukraine in February “the world has drastically changed.”",
    "Kishi said the Russian attack on Ukraine and North Korea’s continuing launches of ballistic missiles are absolutely unacceptable.",
    "“We are here because the U.S.-Japan alliance remains a cornerstone of peace and prosperity in the Indo-Pacific,” Austin said at the beginning of the meeting. “Our two countries are bound by deep friendship and trust, as well as by common interests and shared values.”",
    "But those interests and values are under attack, the secretary said, and the United States and Japan must work closely together to counter the threats emanating from Russia, China and North Korea. “Russia’s baseless, and the reckless invasion of Ukraine is an affront to the rules-based international order, and it poses a challenge to free people everywhere,” he said.",
    "Austin said Japan reiterated its commitment at last week’s meeting of defense ministers. Kishi attended the meeting of the Ukraine Security Consultative Group last week in Ramstein Air Base, Germany. “Your presence underscored Japan’s commitment to helping the Ukrainian people defend their sovereignty now and over the long haul,” Austin said.",
    "While Russia has gained the headlines, Austin said China also poses a threat to the rules-based order. “China’s recent behavior poses a profound challenge to common norms, values and institutions that underpin that order,” Austin said.",
    "The two men and their staffs discussed ways to ensure the Indo-Pacific region remains open and free. Japan is a treaty ally of the United States, and Austin reaffirmed America’s “unwavering commitment to the defense of Japan to include our extended deterrence commitments using our full range of conventional and nuclear capabilities.”",
    "The two nations share much in common, and the leaders will look at ways to better align defense strategies and optimize force posture in the region. “We’ll also discuss ways to further deepen our cooperation with other like-minded partners, including the Quad [Partnership] …\xa0 and South Korea,” the secretary said.",
    "“The Quad Partnership”\xa0refers to the U.S., Australia, India and Japan.",
    "Kishi unequivocally emphasized that Russia’s invasion of Ukraine means that the Japanese can no longer separate the security of the Indo-Pacific from that of Europe.",
    "The defense minister said “there is no time to lose” in strengthening the U.S.-Japan alliance.",
]

PUBLISHER = {
    "name": "DoD News",
    "slug": "dod-news",
    "description": "DoD News publishes news from the US Defense Department.",
    "website": "https://www.defense.gov/News/",
}

TAGS = ["Japan", "United States", "Indo-Pacific", "Russia", "Ukraine", "China", "North Korea"]
