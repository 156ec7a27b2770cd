//! The coded vocabularies of the domain reference (`shared/domain.md`): kinds of
//! assistance, offence categories, refusal grounds, directions and the preset legal bases.
//! Every code is stored and exchanged as its snake_case string.

/// Declares a closed vocabulary: an enum whose variants serialize as their codes, with
/// an English label for each, `ALL` in display order and parsing from the code.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code.trim() { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// Who asks whom: we send the request abroad, or we receive it from abroad.
    Direction {
        Outgoing => "outgoing", "Outgoing";
        Incoming => "incoming", "Incoming";
    }
);

code_enum!(
    /// The type of assistance requested.
    Kind {
        Evidence => "evidence", "Evidence (interviews, expert opinions, records)";
        Documents => "documents", "Service of documents";
        SearchSeizure => "search_seizure", "Search and seizure";
        Information => "information", "Information exchange";
        Assets => "assets", "Asset tracing, freezing, confiscation, return";
        Extradition => "extradition", "Extradition";
        TransferOfProceedings => "transfer_of_proceedings", "Transfer of proceedings";
        TransferOfSentenced => "transfer_of_sentenced", "Transfer of sentenced persons";
        JointInvestigation => "joint_investigation", "Joint investigation team";
        ControlledDelivery => "controlled_delivery", "Controlled delivery";
        Other => "other", "Other";
    }
);

code_enum!(
    /// The crime category the request serves.
    Offence {
        DrugTrafficking => "drug_trafficking", "Drug trafficking";
        HumanTrafficking => "human_trafficking", "Human trafficking";
        MigrantSmuggling => "migrant_smuggling", "Migrant smuggling";
        Terrorism => "terrorism", "Terrorism";
        Extremism => "extremism", "Extremism";
        Corruption => "corruption", "Corruption";
        MoneyLaundering => "money_laundering", "Money laundering";
        TerroristFinancing => "terrorist_financing", "Terrorist financing";
        Cybercrime => "cybercrime", "Cybercrime";
        ArmsTrafficking => "arms_trafficking", "Arms trafficking";
        Fraud => "fraud", "Fraud";
        ViolentCrime => "violent_crime", "Violent crime";
        SexualCrime => "sexual_crime", "Sexual crime";
        GenocideWarCrimes => "genocide_war_crimes", "Genocide and war crimes";
        Other => "other", "Other";
    }
);

code_enum!(
    /// Why a counterpart refused.
    RefusalGround {
        PoliticalOffence => "political_offence", "Political offence";
        PoliticalMotivation => "political_motivation", "Political motivation (incl. sanctions)";
        DualCriminality => "dual_criminality", "No dual criminality";
        InsufficientInformation => "insufficient_information", "Insufficient information";
        NeBisInIdem => "ne_bis_in_idem", "Ne bis in idem";
        HumanRights => "human_rights", "Human rights (death penalty, fair trial)";
        OwnNational => "own_national", "Own national";
        LimitationPeriod => "limitation_period", "Limitation period expired";
        EssentialInterests => "essential_interests", "Essential interests (sovereignty, security, public order)";
        FormalDefects => "formal_defects", "Formal defects";
        Other => "other", "Other";
    }
);

/// The legal bases every office starts with. The list itself is reference data in the
/// database (`legal_bases`), which an admin can extend; these are its seed.
pub const PRESET_LEGAL_BASES: &[(&str, &str)] = &[
    ("minsk_1993", "CIS Convention on Legal Assistance (Minsk, 1993)"),
    ("chisinau_2002", "CIS Convention on Legal Assistance (Chisinau, 2002)"),
    ("european_mla_1959", "European Convention on Mutual Assistance in Criminal Matters (1959)"),
    ("european_extradition_1957", "European Convention on Extradition (1957)"),
    ("untoc_2000", "UN Convention against Transnational Organized Crime (2000)"),
    ("uncac_2003", "UN Convention against Corruption (2003)"),
    ("drugs_1988", "UN Convention against Illicit Traffic in Narcotic Drugs (1988)"),
    ("budapest_2001", "Convention on Cybercrime (Budapest, 2001)"),
    ("bilateral", "Bilateral treaty"),
    ("reciprocity", "Reciprocity"),
    ("other", "Other"),
];

/// Legal bases whose free-text note (the treaty's name, or what the basis is) is required.
pub fn legal_basis_needs_note(code: &str) -> bool {
    matches!(code, "bilateral" | "other")
}

/// A legal basis as the form and the list show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LegalBasis {
    pub code: String,
    pub label: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), Some(*k));
        }
        for o in Offence::ALL {
            assert_eq!(Offence::from_code(o.code()), Some(*o));
        }
        for g in RefusalGround::ALL {
            assert_eq!(RefusalGround::from_code(g.code()), Some(*g));
        }
        assert_eq!(Kind::from_code("nonsense"), None);
        assert_eq!(Kind::ALL.len(), 11);
        assert_eq!(Offence::ALL.len(), 15);
        assert_eq!(RefusalGround::ALL.len(), 11);
    }

    #[test]
    fn serde_uses_codes() {
        assert_eq!(serde_json::to_string(&Kind::SearchSeizure).unwrap(), "\"search_seizure\"");
        let g: RefusalGround = serde_json::from_str("\"ne_bis_in_idem\"").unwrap();
        assert_eq!(g, RefusalGround::NeBisInIdem);
    }
}
