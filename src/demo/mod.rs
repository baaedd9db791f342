//! A deterministic demo city: Kota Surakarta's real perangkat daerah, kecamatan and kelurahan, with
//! generated bidang, seksi, schools and puskesmas below them, a rater chain from the Sekretaris Daerah
//! down, and one plan (SKP) per employee whose work results cascade from the rater's.
//!
//! The same seed, size, year and number of completed quarters always give the same city.

mod development;
pub(crate) mod growth;
mod names;
mod org;
mod plans;

use anyhow::Context;
use kinerja_domain::OrganisationPredikat;
use kinerja_store::{Batch, Store};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub(crate) use org::minimum_employees;

/// Deterministic random keys (UUID version 4, as the store's own: see `kinerja_store::records::new_record_id`),
/// the same for the same seed.
pub(crate) struct IdSource {
    state: u64,
}

impl IdSource {
    pub(crate) fn new(seed: u64, year: i32) -> Self {
        Self { state: seed ^ 0x9E37_79B9_7F4A_7C15 ^ year.unsigned_abs() as u64 }
    }

    /// splitmix64, twice for the 16 bytes of a key.
    fn next_word(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn next_id(&mut self) -> uuid::Uuid {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_word().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next_word().to_le_bytes());
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DemoOptions {
    pub(crate) employees: u32,
    pub(crate) seed: u64,
    pub(crate) year: i32,
    /// Quarters of `year` with realisations recorded (1–4).
    pub(crate) completed_quarters: u8,
}

impl DemoOptions {
    /// The period the demo's realisations cover: the whole year, or its last completed quarter.
    pub(crate) fn scored_through(&self) -> kinerja_domain::Period {
        match self.completed_quarters {
            4 => kinerja_domain::Period::Year(self.year),
            quarter => kinerja_domain::Period::Quarter(self.year, quarter.max(1)),
        }
    }
}

/// Employees written per transaction.
const EMPLOYEES_PER_BATCH: usize = 2_000;

/// Generates the city and writes it to `store` in batched transactions, reporting employees written.
pub(crate) async fn load(
    store: &Store,
    options: DemoOptions,
    packs: &kinerja_scoring::RulePacks,
    progress: impl Fn(u64),
) -> anyhow::Result<()> {
    let catalogue = packs.catalogue();
    let pack = packs.for_year(options.year)?;
    let minimum = minimum_employees();
    anyhow::ensure!(
        options.employees as usize >= minimum,
        "--employees must be at least {minimum} so that every unit of the city has a head"
    );
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let city =
        org::generate(&mut rng, IdSource::new(options.seed, options.year), options.employees as usize, options.year);
    store
        .seeder()
        .insert_batch(Batch {
            units: city.units.iter().map(|u| u.record.clone()).collect(),
            positions: city.positions.clone(),
            ..Batch::default()
        })
        .await
        .context("writing units and positions")?;

    let mut planner = plans::Planner::new(&city, options, IdSource::new(options.seed.rotate_left(17), options.year));
    for (chunk_index, chunk) in city.people.chunks(EMPLOYEES_PER_BATCH).enumerate() {
        let first = chunk_index * EMPLOYEES_PER_BATCH;
        let mut batch = Batch { employees: chunk.iter().map(|p| p.record.clone()).collect(), ..Batch::default() };
        for index in first..first + chunk.len() {
            planner.plan_for(index, &mut rng, &mut batch);
        }
        store
            .seeder()
            .insert_batch(batch)
            .await
            .with_context(|| format!("writing employees {first}..{}", first + chunk.len()))?;
        progress(chunk.len() as u64);
    }
    // The organisation predikat of each perangkat daerah and kecamatan, as set by the Sekretaris Daerah.
    for unit in city.units.iter().filter(|u| u.record.depth == 1) {
        let predikat = match unit.record.unit.code.as_str() {
            "DINKES" | "DISDUKCAPIL" => OrganisationPredikat::Istimewa,
            "DLH" => OrganisationPredikat::ButuhPerbaikan,
            _ => OrganisationPredikat::Baik,
        };
        store
            .set_organisation_rating(None, pack, &unit.record, options.year, predikat)
            .await
            .context("writing organisation predikat")?;
    }
    // Its own random stream, so that the organisation and plans stay as they were for a seed.
    let mut development_rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0xD0_57_DE_F1);
    for (kind, csv) in development::files(&city, catalogue, &options, &mut development_rng) {
        let read = kinerja_import::ReadOptions { format: kinerja_import::Format::Csv, decimal_comma: false };
        let source = format!("demo {}", kind.as_str());
        let import = kinerja_import::ImportOptions { dry_run: false, max_problems: 10, source };
        kinerja_import::import(store, packs, None, kind, csv.as_bytes(), read, &import, |_| {})
            .await
            .map_err(|error| anyhow::anyhow!("writing the demo's {}: {error}", kind.as_str()))?;
    }
    grant_roles(store).await?;
    store.optimise().await.context("analysing the loaded tables")?;
    Ok(())
}

/// The demo's grants of the roles that reach beyond one's own work, as BKPSDM would record them: its
/// head and the head of its performance bidang administer, the head of the performance seksi analyses,
/// the Inspektur audits.
const GRANTS: [(&str, kinerja_domain::Role); 4] = [
    ("BKPSDM", kinerja_domain::Role::HrAdmin),
    ("BKPSDM-PKIN", kinerja_domain::Role::HrAdmin),
    ("BKPSDM-PKIN-KIN", kinerja_domain::Role::Analyst),
    ("INSP", kinerja_domain::Role::Auditor),
];

async fn grant_roles(store: &Store) -> anyhow::Result<()> {
    for (code, role) in GRANTS {
        let head = store.unit_head(&kinerja_domain::UnitCode::parse(code)?).await?;
        kinerja_app::grant_role(store, None, &head.employee.nip, role, None)
            .await
            .with_context(|| format!("granting {role} to the head of {code}"))?;
    }
    Ok(())
}
