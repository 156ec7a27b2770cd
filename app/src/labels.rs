//! The interface names of the domain's coded values (statuses, kinds, offences, refusal
//! grounds, directions, roles, preset legal bases), in the page's language. The codes and
//! their English labels in `domain` stay what the CSV format and the CLI use.

/// A coded value's name in the language of the page.
pub trait Label {
    fn text(self) -> &'static str;
}

impl Label for crate::domain::Direction {
    fn text(self) -> &'static str {
        use crate::domain::Direction as E;
        match self {
            E::Outgoing => crate::tr!(direction.outgoing),
            E::Incoming => crate::tr!(direction.incoming),
        }
    }
}

impl Label for crate::domain::person::PersonRole {
    fn text(self) -> &'static str {
        use crate::domain::person::PersonRole as E;
        match self {
            E::Accused => crate::tr!(person_role.accused),
            E::Wanted => crate::tr!(person_role.wanted),
            E::Convicted => crate::tr!(person_role.convicted),
            E::Witness => crate::tr!(person_role.witness),
            E::Victim => crate::tr!(person_role.victim),
            E::Other => crate::tr!(person_role.other),
        }
    }
}

impl Label for crate::domain::custody::DetentionKind {
    fn text(self) -> &'static str {
        use crate::domain::custody::DetentionKind as E;
        match self {
            E::ProvisionalArrest => crate::tr!(custody.provisional_arrest),
            E::PendingExtradition => crate::tr!(custody.pending_extradition),
            E::Other => crate::tr!(custody.other_detention),
        }
    }
}

impl Label for crate::domain::custody::DeadlineKind {
    fn text(self) -> &'static str {
        use crate::domain::custody::DeadlineKind as E;
        match self {
            E::RequestArrival => crate::tr!(custody.request_to_arrive_by),
            E::Surrender => crate::tr!(custody.surrender_by),
        }
    }
}

impl Label for crate::domain::document::DocumentKind {
    fn text(self) -> &'static str {
        use crate::domain::document::DocumentKind as E;
        match self {
            E::LetterOfRequest => crate::tr!(documents.letter_of_request),
            E::Translation => crate::tr!(documents.translation),
            E::Supplementary => crate::tr!(documents.supplementary_request),
            E::Acknowledgement => crate::tr!(documents.acknowledgement),
            E::Answer => crate::tr!(documents.answer),
            E::Reminder => crate::tr!(documents.reminder),
            E::Other => crate::tr!(documents.other),
        }
    }
}

impl Label for crate::domain::document::DocumentFlow {
    fn text(self) -> &'static str {
        use crate::domain::document::DocumentFlow as E;
        match self {
            E::Sent => crate::tr!(documents.sent),
            E::Received => crate::tr!(documents.received),
        }
    }
}

impl Label for crate::domain::Status {
    fn text(self) -> &'static str {
        use crate::domain::Status as E;
        match self {
            E::Draft => crate::tr!(status.draft),
            E::Sent => crate::tr!(status.sent),
            E::Received => crate::tr!(status.received),
            E::InProgress => crate::tr!(status.in_progress),
            E::Suspended => crate::tr!(status.suspended),
            E::Fulfilled => crate::tr!(status.fulfilled),
            E::PartiallyFulfilled => crate::tr!(status.partially_fulfilled),
            E::Refused => crate::tr!(status.refused),
            E::Withdrawn => crate::tr!(status.withdrawn),
        }
    }
}

impl Label for crate::domain::Kind {
    fn text(self) -> &'static str {
        use crate::domain::Kind as E;
        match self {
            E::Evidence => crate::tr!(kind.evidence),
            E::Documents => crate::tr!(kind.documents),
            E::SearchSeizure => crate::tr!(kind.search_seizure),
            E::Information => crate::tr!(kind.information),
            E::Assets => crate::tr!(kind.assets),
            E::Extradition => crate::tr!(kind.extradition),
            E::TransferOfProceedings => crate::tr!(kind.transfer_of_proceedings),
            E::TransferOfSentenced => crate::tr!(kind.transfer_of_sentenced),
            E::JointInvestigation => crate::tr!(kind.joint_investigation),
            E::ControlledDelivery => crate::tr!(kind.controlled_delivery),
            E::Other => crate::tr!(kind.other),
        }
    }
}

impl Label for crate::domain::Offence {
    fn text(self) -> &'static str {
        use crate::domain::Offence as E;
        match self {
            E::DrugTrafficking => crate::tr!(offence.drug_trafficking),
            E::HumanTrafficking => crate::tr!(offence.human_trafficking),
            E::MigrantSmuggling => crate::tr!(offence.migrant_smuggling),
            E::Terrorism => crate::tr!(offence.terrorism),
            E::Extremism => crate::tr!(offence.extremism),
            E::Corruption => crate::tr!(offence.corruption),
            E::MoneyLaundering => crate::tr!(offence.money_laundering),
            E::TerroristFinancing => crate::tr!(offence.terrorist_financing),
            E::Cybercrime => crate::tr!(offence.cybercrime),
            E::ArmsTrafficking => crate::tr!(offence.arms_trafficking),
            E::Fraud => crate::tr!(offence.fraud),
            E::ViolentCrime => crate::tr!(offence.violent_crime),
            E::SexualCrime => crate::tr!(offence.sexual_crime),
            E::GenocideWarCrimes => crate::tr!(offence.genocide_war_crimes),
            E::Other => crate::tr!(offence.other),
        }
    }
}

impl Label for crate::domain::RefusalGround {
    fn text(self) -> &'static str {
        use crate::domain::RefusalGround as E;
        match self {
            E::PoliticalOffence => crate::tr!(ground.political_offence),
            E::PoliticalMotivation => crate::tr!(ground.political_motivation),
            E::DualCriminality => crate::tr!(ground.dual_criminality),
            E::InsufficientInformation => crate::tr!(ground.insufficient_information),
            E::NeBisInIdem => crate::tr!(ground.ne_bis_in_idem),
            E::HumanRights => crate::tr!(ground.human_rights),
            E::OwnNational => crate::tr!(ground.own_national),
            E::LimitationPeriod => crate::tr!(ground.limitation_period),
            E::EssentialInterests => crate::tr!(ground.essential_interests),
            E::FormalDefects => crate::tr!(ground.formal_defects),
            E::Other => crate::tr!(ground.other),
        }
    }
}

impl Label for crate::domain::assets::AssetStage {
    fn text(self) -> &'static str {
        use crate::domain::assets::AssetStage as E;
        match self {
            E::Frozen => crate::tr!(assets.stage_frozen),
            E::Seized => crate::tr!(assets.stage_seized),
            E::Confiscated => crate::tr!(assets.stage_confiscated),
            E::Repatriated => crate::tr!(assets.stage_repatriated),
            E::Shared => crate::tr!(assets.stage_shared),
        }
    }
}

impl Label for crate::domain::Role {
    fn text(self) -> &'static str {
        use crate::domain::Role as E;
        match self {
            E::Viewer => crate::tr!(role.viewer),
            E::Clerk => crate::tr!(role.clerk),
            E::Admin => crate::tr!(role.admin),
        }
    }
}

/// A role's short name (the header, the users' list).
pub fn role_short(role: crate::domain::Role) -> &'static str {
    use crate::domain::Role as E;
    match role {
        E::Viewer => crate::tr!(role_short.viewer),
        E::Clerk => crate::tr!(role_short.clerk),
        E::Admin => crate::tr!(role_short.admin),
    }
}

/// A legal basis's name: the preset ones in the page's language, the ones an
/// administrator added as they were entered.
pub fn legal_basis(code: &str, stored_label: &str) -> String {
    match code {
        "minsk_1993" => crate::tr!(basis.minsk_1993).to_string(),
        "chisinau_2002" => crate::tr!(basis.chisinau_2002).to_string(),
        "european_mla_1959" => crate::tr!(basis.european_mla_1959).to_string(),
        "european_extradition_1957" => crate::tr!(basis.european_extradition_1957).to_string(),
        "untoc_2000" => crate::tr!(basis.untoc_2000).to_string(),
        "uncac_2003" => crate::tr!(basis.uncac_2003).to_string(),
        "drugs_1988" => crate::tr!(basis.drugs_1988).to_string(),
        "budapest_2001" => crate::tr!(basis.budapest_2001).to_string(),
        "bilateral" => crate::tr!(basis.bilateral).to_string(),
        "reciprocity" => crate::tr!(basis.reciprocity).to_string(),
        "other" => crate::tr!(basis.other).to_string(),
        _ => stored_label.to_string(),
    }
}
