//! Demo data of this part for `mutu serve --demo` (idempotent): the example F-18 form
//! `F18-CT0-PRANPC` v1, about forty sheets over the last eight weeks in every state (one
//! dispute amended), a closed and an open calibration session, and a few sampled calls.

use crate::db::now;
use crate::state::AppState;
use chrono::{DateTime, Datelike, Duration, Utc};
use domain::scoring::{self as rules, Answer, AnswerValue, EvaluationStatus, FormParameter, FormSection, FormStatus};
use entity::{
    calibration_participants, calibration_sessions, documents, evaluation_amendments, evaluation_answers, evaluations,
    sampling_assignments, scoring_forms, users,
};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use std::collections::HashMap;

pub const DEMO_FORM_CODE: &str = "F18-CT0-PRANPC";
const DEMO_FORM_TITLE: &str = "Standar Penilaian Parameter Layanan CT-0 dan PRANPC (contoh)";

/// (key, title, [(key, label, guidance, weight, fatal, allow_na)])
type Param = (&'static str, &'static str, &'static str, f64, bool, bool);
const SECTIONS: &[(&str, &str, &[Param])] = &[
    (
        "pembukaan",
        "Pembukaan",
        &[
            (
                "salam_pembuka",
                "Salam pembuka dan perkenalan diri",
                "Salam sesuai waktu, menyebut nama agent dan \"dari Telkom\" dalam 5 detik pertama.",
                5.0,
                false,
                false,
            ),
            (
                "kesediaan_waktu",
                "Menanyakan kesediaan waktu pelanggan",
                "Menanyakan apakah pelanggan bersedia berbicara beberapa menit. N/A bila pelanggan langsung membuka pembicaraan.",
                4.0,
                false,
                true,
            ),
        ],
    ),
    (
        "verifikasi",
        "Verifikasi identitas",
        &[
            (
                "verifikasi_nama",
                "Verifikasi nama pemilik atau penanggung jawab layanan",
                "Memastikan lawan bicara adalah pemilik layanan atau penanggung jawab yang terdaftar di MyCX sebelum menyebut tagihan.",
                8.0,
                false,
                false,
            ),
            (
                "verifikasi_data",
                "Verifikasi nomor layanan dan alamat pemasangan",
                "Mencocokkan nomor layanan (Indihome/POTS) dan alamat pemasangan dengan data prospek.",
                7.0,
                false,
                false,
            ),
            (
                "fatal_tagihan_tidak_terverifikasi",
                "FATAL: menyampaikan tagihan kepada orang yang belum terverifikasi",
                "Gagal bila nominal atau status tunggakan disebut sebelum identitas lawan bicara terverifikasi.",
                0.0,
                true,
                false,
            ),
        ],
    ),
    (
        "tagihan",
        "Informasi tagihan dan tunggakan",
        &[
            (
                "info_tagihan",
                "Menyampaikan jumlah tagihan dan periode tunggakan dengan jelas",
                "Nominal dan bulan tagihan sesuai I-payment, disebut dengan jelas dan diulang bila diminta.",
                10.0,
                false,
                false,
            ),
            (
                "info_konsekuensi",
                "Menjelaskan konsekuensi sesuai bucket (N, N+1, N+2)",
                "Isolir untuk N+1, cabut layanan untuk N+2, disampaikan tanpa nada mengancam. N/A untuk bucket N.",
                8.0,
                false,
                true,
            ),
            (
                "info_cara_bayar",
                "Menjelaskan cara dan tempat pembayaran",
                "Kanal pembayaran resmi (Plasa Telkom, bank, minimarket, aplikasi) dan batas waktunya.",
                6.0,
                false,
                false,
            ),
            (
                "fatal_salah_nominal",
                "FATAL: salah menyebut nominal tagihan atau tanggal jatuh tempo",
                "Gagal bila nominal atau tanggal yang disebut berbeda dari I-payment.",
                0.0,
                true,
                false,
            ),
        ],
    ),
    (
        "negosiasi",
        "Negosiasi dan konfirmasi agree",
        &[
            (
                "negosiasi",
                "Menggali alasan belum bayar dan menawarkan solusi",
                "Bertanya alasan, mendengarkan, lalu menawarkan solusi yang sesuai (tanggal bayar, kanal).",
                10.0,
                false,
                false,
            ),
            (
                "konfirmasi_janji",
                "Mengkonfirmasi ulang tanggal dan nominal janji bayar (agree)",
                "Mengulang tanggal janji bayar dan nominal, dan mendapat jawaban \"ya\" yang jelas dari pelanggan.",
                12.0,
                false,
                false,
            ),
            (
                "fatal_agree_palsu",
                "FATAL: mencatat agree yang tidak diberikan pelanggan",
                "Gagal bila hasil agree di MyCX/TAMARA tidak didukung persetujuan pelanggan di rekaman.",
                0.0,
                true,
                false,
            ),
        ],
    ),
    (
        "soft_skill",
        "Soft skill",
        &[
            (
                "empati",
                "Empati dan sikap sopan",
                "Menanggapi keluhan pelanggan dengan empati, memakai sapaan Bapak/Ibu.",
                8.0,
                false,
                false,
            ),
            (
                "intonasi",
                "Intonasi, artikulasi dan tempo bicara",
                "Suara jelas, tempo wajar, tidak monoton.",
                6.0,
                false,
                false,
            ),
            (
                "tidak_memotong",
                "Tidak memotong pembicaraan pelanggan",
                "Memberi pelanggan kesempatan menyelesaikan kalimatnya.",
                5.0,
                false,
                false,
            ),
            (
                "fatal_kata_kasar",
                "FATAL: kata kasar, ancaman atau merendahkan pelanggan",
                "Gagal bila agent memakai kata kasar, mengancam, atau merendahkan pelanggan.",
                0.0,
                true,
                false,
            ),
        ],
    ),
    (
        "penutup",
        "Penutup",
        &[
            (
                "rangkuman",
                "Merangkum hasil pembicaraan",
                "Mengulang kesepakatan dan langkah berikutnya. N/A bila panggilan terputus oleh pelanggan.",
                5.0,
                false,
                true,
            ),
            (
                "salam_penutup",
                "Salam penutup dan ucapan terima kasih",
                "Menawarkan bantuan lain, berterima kasih, salam penutup.",
                6.0,
                false,
                false,
            ),
        ],
    ),
];

/// The demo form's sections.
pub fn demo_sections() -> Vec<FormSection> {
    SECTIONS
        .iter()
        .map(|(key, title, params)| FormSection {
            key: (*key).into(),
            title: (*title).into(),
            parameters: params
                .iter()
                .map(|(key, label, guidance, weight, fatal, allow_na)| FormParameter {
                    key: (*key).into(),
                    label: (*label).into(),
                    guidance: (*guidance).into(),
                    weight: *weight,
                    fatal: *fatal,
                    allow_na: *allow_na,
                    comment_on_fail: true,
                })
                .collect(),
        })
        .collect()
}

/// A small deterministic generator, so the demo is the same on every load.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn percent(&mut self) -> u64 {
        self.next() % 100
    }
}

const FAIL_COMMENTS: &[&str] = &[
    "Tidak dilakukan sesuai standar.",
    "Disampaikan terlalu cepat, pelanggan meminta diulang.",
    "Terlewat; pelanggan tidak mendapat informasi ini.",
    "Kurang jelas, perlu latihan bersama TL.",
];

/// Answers for a demo sheet: mostly passes, some fails with comment and moment, N/A where
/// allowed now and then; `fatal` fails one fatal item.
fn demo_answers(sections: &[FormSection], rng: &mut Rng, fail_percent: u64, fatal: Option<&str>) -> Vec<Answer> {
    rules::parameters(sections)
        .map(|p| {
            let value = if p.fatal {
                if fatal == Some(p.key.as_str()) { AnswerValue::Fail } else { AnswerValue::Pass }
            } else if p.allow_na && rng.percent() < 12 {
                AnswerValue::Na
            } else if rng.percent() < fail_percent {
                AnswerValue::Fail
            } else {
                AnswerValue::Pass
            };
            let (comment, moment) = if value == AnswerValue::Fail {
                let c = FAIL_COMMENTS[(rng.next() % FAIL_COMMENTS.len() as u64) as usize];
                (Some(c.to_owned()), Some(format!("{:02}:{:02}", rng.next() % 6, rng.next() % 60)))
            } else {
                (None, None)
            };
            Answer { parameter: p.key.clone(), value, comment, moment }
        })
        .collect()
}

fn retain(at: DateTime<Utc>, months: i32) -> String {
    let day = (at + Duration::hours(7)).date_naive();
    rules_date(day.year(), day.month(), day.day(), months)
}

fn rules_date(year: i32, month: u32, day: u32, months: i32) -> String {
    domain::dates::retain_until(domain::dates::Date { year, month, day }, months.max(0) as u32).to_string()
}

struct Sheet<'a> {
    form: &'a scoring_forms::Model,
    agent: &'a users::Model,
    qco: &'a users::Model,
    call_ref: String,
    call_at: DateTime<Utc>,
    service: &'static str,
    bucket: &'static str,
    answers: Vec<Answer>,
    status: EvaluationStatus,
    calibration_id: Option<i32>,
    comment: Option<&'static str>,
}

async fn insert_sheet(txn: &DatabaseTransaction, sheet: Sheet<'_>) -> anyhow::Result<i64> {
    let sections: Vec<FormSection> = serde_json::from_str(&sheet.form.sections)?;
    let score = rules::score(&sections, &sheet.answers);
    let submitted = sheet.status != EvaluationStatus::Draft;
    let submitted_at = sheet.call_at + Duration::hours(20);
    let disputed = matches!(sheet.status, EvaluationStatus::Disputed | EvaluationStatus::Resolved);
    let inserted = evaluations::Entity::insert(evaluations::ActiveModel {
        form_id: Set(sheet.form.id),
        agent_id: Set(sheet.agent.id),
        qco_id: Set(sheet.qco.id),
        team_id: Set(sheet.agent.team_id),
        call_ref: Set(sheet.call_ref),
        call_at: Set(sheet.call_at),
        service: Set(sheet.service.into()),
        bucket: Set(sheet.bucket.into()),
        recording_ref: Set(Some(format!("eyebeam://rec/{}", sheet.call_at.format("%Y%m%d-%H%M%S")))),
        comment: Set(sheet.comment.map(str::to_owned)),
        score: Set(score.score),
        fatal: Set(score.fatal),
        status: Set(sheet.status.as_str().into()),
        created_at: Set(sheet.call_at + Duration::hours(2)),
        updated_at: Set(if submitted { submitted_at } else { sheet.call_at + Duration::hours(2) }),
        submitted_at: Set(submitted.then_some(submitted_at)),
        acknowledged_at: Set(
            (sheet.status == EvaluationStatus::Acknowledged).then(|| submitted_at + Duration::hours(5))
        ),
        retain_until: Set(submitted.then(|| retain(submitted_at, sheet.form.retention_months))),
        version: Set(1),
        calibration_id: Set(sheet.calibration_id),
        assignment_id: Set(None),
        dispute_reason: Set(disputed.then(|| {
            "Pelanggan sudah terverifikasi di awal panggilan (menit 00:20), mohon didengar ulang.".to_owned()
        })),
        disputed_at: Set(disputed.then(|| submitted_at + Duration::hours(6))),
        resolution_decision: Set(None),
        resolution_comment: Set(None),
        resolved_by: Set(None),
        resolved_at: Set(None),
        ..Default::default()
    })
    .exec(txn)
    .await?;
    let id = inserted.last_insert_id;
    evaluation_answers::Entity::insert_many(sheet.answers.iter().map(|a| evaluation_answers::ActiveModel {
        evaluation_id: Set(id),
        parameter_key: Set(a.parameter.clone()),
        value: Set(a.value.as_str().into()),
        comment: Set(a.comment.clone()),
        moment: Set(a.moment.clone()),
    }))
    .exec_without_returning(txn)
    .await?;
    Ok(id)
}

/// Resolves a demo dispute: upheld, or amended with every failed non-fatal answer turned into a
/// pass (the old answers kept).
async fn resolve_sheet(
    txn: &DatabaseTransaction,
    id: i64,
    form: &scoring_forms::Model,
    coordinator: &users::Model,
    amend: bool,
) -> anyhow::Result<()> {
    let model =
        evaluations::Entity::find_by_id(id).one(txn).await?.ok_or_else(|| anyhow::anyhow!("sheet {id} missing"))?;
    let at = model.disputed_at.unwrap_or_else(now) + Duration::hours(20);
    let mut update = evaluations::ActiveModel {
        id: Set(id),
        status: Set(EvaluationStatus::Resolved.as_str().into()),
        resolution_decision: Set(Some(if amend { "amend" } else { "uphold" }.into())),
        resolution_comment: Set(Some(
            if amend {
                "Setelah didengar ulang, verifikasi sudah dilakukan di awal panggilan. Nilai dikoreksi."
            } else {
                "Rekaman sudah didengar ulang; penilaian QCO sesuai standar."
            }
            .into(),
        )),
        resolved_by: Set(Some(coordinator.id)),
        resolved_at: Set(Some(at)),
        updated_at: Set(at),
        version: Set(2),
        ..Default::default()
    };
    if amend {
        let sections: Vec<FormSection> = serde_json::from_str(&form.sections)?;
        let old: Vec<Answer> = evaluation_answers::Entity::find()
            .filter(evaluation_answers::Column::EvaluationId.eq(id))
            .all(txn)
            .await?
            .into_iter()
            .map(|a| Answer {
                parameter: a.parameter_key,
                value: match a.value.as_str() {
                    "pass" => AnswerValue::Pass,
                    "fail" => AnswerValue::Fail,
                    _ => AnswerValue::Na,
                },
                comment: a.comment,
                moment: a.moment,
            })
            .collect();
        let new: Vec<Answer> = old
            .iter()
            .map(|a| {
                if a.value == AnswerValue::Fail {
                    Answer { value: AnswerValue::Pass, comment: None, moment: None, ..a.clone() }
                } else {
                    a.clone()
                }
            })
            .collect();
        let score = rules::score(&sections, &new);
        evaluation_amendments::Entity::insert(evaluation_amendments::ActiveModel {
            evaluation_id: Set(id),
            old_answers: Set(serde_json::to_string(&old)?),
            old_score: Set(model.score),
            old_fatal: Set(model.fatal),
            comment: Set(Some("Koreksi hasil sanggahan agent.".into())),
            amended_by: Set(coordinator.id),
            amended_at: Set(at),
            ..Default::default()
        })
        .exec_without_returning(txn)
        .await?;
        evaluation_answers::Entity::delete_many()
            .filter(evaluation_answers::Column::EvaluationId.eq(id))
            .exec(txn)
            .await?;
        evaluation_answers::Entity::insert_many(new.iter().map(|a| evaluation_answers::ActiveModel {
            evaluation_id: Set(id),
            parameter_key: Set(a.parameter.clone()),
            value: Set(a.value.as_str().into()),
            comment: Set(a.comment.clone()),
            moment: Set(a.moment.clone()),
        }))
        .exec_without_returning(txn)
        .await?;
        update.score = Set(score.score);
        update.fatal = Set(score.fatal);
    }
    evaluations::Entity::update(update).exec(txn).await?;
    Ok(())
}

pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let db = &state.db.conn;
    if scoring_forms::Entity::find().filter(scoring_forms::Column::Code.eq(DEMO_FORM_CODE)).one(db).await?.is_some() {
        return Ok(());
    }
    let people: HashMap<String, users::Model> = users::Entity::find()
        .filter(users::Column::Username.is_in(["qrd", "qco1", "qco2", "agent1", "agent2", "agent3"]))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.username.clone(), u))
        .collect();
    let (Some(qrd), Some(qco1), Some(qco2), Some(agent1), Some(agent2), Some(agent3)) = (
        people.get("qrd"),
        people.get("qco1"),
        people.get("qco2"),
        people.get("agent1"),
        people.get("agent2"),
        people.get("agent3"),
    ) else {
        return Ok(());
    };
    let retention = documents::Entity::find()
        .filter(documents::Column::Code.eq(rules::F18_CODE))
        .one(db)
        .await?
        .and_then(|d| d.retention_months)
        .unwrap_or(crate::scoring::service::DEFAULT_RETENTION_MONTHS);
    let sections = demo_sections();
    let draft = domain::scoring::NewScoringForm {
        code: DEMO_FORM_CODE.into(),
        title: DEMO_FORM_TITLE.into(),
        document_code: None,
        sections: sections.clone(),
        publish: true,
        row_version: None,
    };
    rules::validate_form(&draft).map_err(|e| anyhow::anyhow!("the demo form is invalid: {e:?}"))?;

    let txn = state.db.write().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let at = now();
    let start = at - Duration::weeks(8);
    let form_id = scoring_forms::Entity::insert(scoring_forms::ActiveModel {
        code: Set(DEMO_FORM_CODE.into()),
        version: Set(1),
        title: Set(DEMO_FORM_TITLE.into()),
        status: Set(FormStatus::Published.as_str().into()),
        document_code: Set(rules::F18_CODE.into()),
        retention_months: Set(retention),
        sections: Set(serde_json::to_string(&sections)?),
        created_by: Set(Some(qrd.id)),
        created_at: Set(start - Duration::days(3)),
        published_at: Set(Some(start - Duration::days(2))),
        row_version: Set(2),
        ..Default::default()
    })
    .exec(&*txn)
    .await?
    .last_insert_id;
    let form =
        scoring_forms::Entity::find_by_id(form_id).one(&*txn).await?.ok_or_else(|| anyhow::anyhow!("form missing"))?;

    // Forty sheets, oldest first, spread over eight weeks on working hours (WIB).
    let agents = [agent1, agent2, agent3];
    let qcos = [qco1, qco2];
    let mut rng = Rng(0x05EE_DF18);
    let count = 40;
    let mut ids = Vec::new();
    for i in 0..count {
        let agent = agents[i % 3];
        let qco = qcos[(i / 3) % 2];
        let day = start + Duration::hours((i as i64) * 8 * 7 * 24 / count as i64);
        let call_at = day
            .date_naive()
            .and_hms_opt(2 + (rng.next() % 7) as u32, (rng.next() % 60) as u32, 0)
            .expect("valid time")
            .and_utc();
        let (service, bucket) = match agent.username.as_str() {
            "agent1" => ("CT0", "N2"),
            _ => ("PRANPC", if i % 2 == 0 { "N" } else { "N1" }),
        };
        let status = match count - i {
            1..=2 => EvaluationStatus::Draft,
            3..=9 => EvaluationStatus::Submitted,
            10..=12 => EvaluationStatus::Disputed,
            13..=14 => EvaluationStatus::Resolved,
            _ => EvaluationStatus::Acknowledged,
        };
        let fatal = match i {
            7 => Some("fatal_salah_nominal"),
            22 => Some("fatal_tagihan_tidak_terverifikasi"),
            _ => None,
        };
        let answers = demo_answers(&sections, &mut rng, 15, fatal);
        let answers = if status == EvaluationStatus::Draft { answers.into_iter().take(9).collect() } else { answers };
        let id = insert_sheet(
            &txn,
            Sheet {
                form: &form,
                agent,
                qco,
                call_ref: format!("MYCX-{}-{:04}", call_at.format("%y%m%d"), 100 + i),
                call_at,
                service,
                bucket,
                answers,
                status,
                calibration_id: None,
                comment: Some(if fatal.is_some() {
                    "Temuan fatal; dibahas dengan TL."
                } else {
                    "Secara umum baik, perhatikan catatan per parameter."
                }),
            },
        )
        .await?;
        ids.push((id, status));
    }
    let resolved: Vec<i64> = ids.iter().filter(|(_, s)| *s == EvaluationStatus::Resolved).map(|(id, _)| *id).collect();
    for (n, id) in resolved.iter().enumerate() {
        resolve_sheet(&txn, *id, &form, qrd, n == 0).await?;
    }

    // Calibration: one closed session scored by both QCOs, one open with one sheet so far.
    for (title, agent, days_ago, closed) in [
        ("Kalibrasi mingguan: konfirmasi janji bayar PRANPC", agent2, 12, true),
        ("Kalibrasi: verifikasi identitas CT-0", agent1, 2, false),
    ] {
        let call_at = (at - Duration::days(days_ago)).date_naive().and_hms_opt(3, 15, 0).expect("valid time").and_utc();
        let id = calibration_sessions::Entity::insert(calibration_sessions::ActiveModel {
            title: Set(title.into()),
            form_id: Set(form.id),
            call_ref: Set(format!("MYCX-{}-KAL", call_at.format("%y%m%d"))),
            call_at: Set(call_at),
            agent_id: Set(agent.id),
            service: Set(if agent.username == "agent1" { "CT0" } else { "PRANPC" }.into()),
            bucket: Set(if agent.username == "agent1" { "N2" } else { "N1" }.into()),
            recording_ref: Set(Some(format!("eyebeam://rec/{}-kal", call_at.format("%Y%m%d")))),
            status: Set(if closed { "closed" } else { "open" }.into()),
            created_by: Set(qrd.id),
            created_at: Set(call_at + Duration::hours(4)),
            closed_at: Set(closed.then(|| call_at + Duration::days(2))),
            ..Default::default()
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        calibration_participants::Entity::insert_many(
            [qco1, qco2]
                .iter()
                .map(|q| calibration_participants::ActiveModel { session_id: Set(id), qco_id: Set(q.id) }),
        )
        .exec_without_returning(&*txn)
        .await?;
        let scorers: &[&users::Model] = if closed { &[qco1, qco2] } else { &[qco1] };
        for qco in scorers {
            let answers = demo_answers(&sections, &mut rng, 20, None);
            insert_sheet(
                &txn,
                Sheet {
                    form: &form,
                    agent,
                    qco,
                    call_ref: format!("MYCX-{}-KAL", call_at.format("%y%m%d")),
                    call_at,
                    service: if agent.username == "agent1" { "CT0" } else { "PRANPC" },
                    bucket: if agent.username == "agent1" { "N2" } else { "N1" },
                    answers,
                    status: EvaluationStatus::Submitted,
                    calibration_id: Some(id),
                    comment: None,
                },
            )
            .await?;
        }
    }

    // A few sampled calls waiting in the QCOs' queues.
    let batch = uuid::Uuid::new_v4().to_string();
    let period_from = (at - Duration::days(7)).format("%Y-%m-%d").to_string();
    let period_to = at.format("%Y-%m-%d").to_string();
    for (n, agent) in agents.iter().enumerate() {
        for k in 0..2 {
            let call_at = (at - Duration::days(1 + k as i64 + n as i64))
                .date_naive()
                .and_hms_opt(4, 10 * (k as u32 + 1), 0)
                .expect("valid time")
                .and_utc();
            sampling_assignments::Entity::insert(sampling_assignments::ActiveModel {
                batch_id: Set(batch.clone()),
                qco_id: Set(qcos[(n * 2 + k) % 2].id),
                agent_id: Set(agent.id),
                case_id: Set(None),
                call_ref: Set(format!("MYCX-{}-S{}{}", call_at.format("%y%m%d"), n, k)),
                call_at: Set(call_at),
                service: Set(Some(if agent.username == "agent1" { "CT0" } else { "PRANPC" }.into())),
                bucket: Set(Some("N1".into())),
                recording_ref: Set(Some(format!("eyebeam://rec/{}-s{}{}", call_at.format("%Y%m%d"), n, k))),
                period_from: Set(period_from.clone()),
                period_to: Set(period_to.clone()),
                status: Set("pending".into()),
                evaluation_id: Set(None),
                created_by: Set(qrd.id),
                created_at: Set(at),
                ..Default::default()
            })
            .exec_without_returning(&*txn)
            .await?;
        }
    }

    crate::scoring::stats::rebuild(&*txn, state.config.offset()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    // No audit entry of its own: the tests of the audit trail count the demo's entries
    // (`demo.loaded`, `document.imported`), and demo rows are not anybody's change.
    txn.commit().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_form_is_valid_and_weighs_100() {
        let sections = demo_sections();
        let form = domain::scoring::NewScoringForm {
            code: DEMO_FORM_CODE.into(),
            title: DEMO_FORM_TITLE.into(),
            document_code: None,
            sections: sections.clone(),
            publish: true,
            row_version: None,
        };
        assert_eq!(rules::validate_form(&form), Ok(()));
        assert_eq!(sections.len(), 6);
        let params: Vec<_> = rules::parameters(&sections).collect();
        assert_eq!(params.len(), 18);
        assert_eq!(params.iter().filter(|p| p.fatal).count(), 4);
        assert_eq!(params.iter().map(|p| p.weight).sum::<f64>(), 100.0);
    }
}
