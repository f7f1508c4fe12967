//! Every operation's fields in the review of `sign` and `verify`, in both
//! schemes, as text and as `--json`.

use super::coverage::*;
use super::support::*;
use crate::cli_support::*;
use tokensign_core::Address;

#[test]
fn sign_and_verify_show_every_field_of_every_operation_in_both_schemes() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let def = definition_file(dir.path(), "1212101", TOKEN, "usdx.json");
    let with_def = [
        "--definition",
        def.as_str(),
        "--trust-definitions",
        DEF_SIGNER,
    ];
    for doc in documents(dir.path()) {
        let op = doc["operation"].as_str().unwrap();
        let moves_token = doc.get("token").is_some();
        let schemes: &[&str] = match op {
            "CreateMultiSig" | "BatchPayment" => &["v2"],
            _ => &["v1", "v2"],
        };
        for scheme in schemes {
            let ctx = format!("{op} {scheme}");
            let signed = sign(&doc, scheme, &key, &[]);
            assert_covers(
                &pairs(&signed["review"]),
                &doc,
                None,
                &format!("sign {ctx}"),
            );
            let body = signed["request"].to_string();
            // verify: every field, the token unknown without a definition.
            let out = verify(&body, op, &[]);
            assert_eq!(out.code, 0, "{ctx}: {out:?}");
            let obj = json_of(&out);
            assert_eq!(obj["kind"], "request");
            let review = pairs(&obj["review"]);
            assert_covers(&review, &doc, None, &format!("verify {ctx}"));
            let scheme_shown = &review.last().unwrap().1;
            assert!(scheme_shown.starts_with(scheme), "{ctx}: {scheme_shown}");
            if moves_token {
                let token = Address::parse(TOKEN).unwrap();
                assert!(
                    review.contains(&("Token".into(), format!("Unknown token {token}"))),
                    "{ctx}: {review:?}"
                );
                assert!(obj["token_unit"].is_null());
            }
            // The text form: the same items, one per line.
            let text = call(&["verify", "--operation", op], body.as_bytes());
            assert_eq!(text.code, 0, "{text:?}");
            for (label, value) in &review {
                let line = format!("  {label:<18}{value}\n");
                assert!(text.stdout.contains(&line), "{ctx}: {line:?} in {text:?}");
            }
            // With the definition: every amount in whole tokens.
            let out = verify(&body, op, &with_def);
            if !moves_token {
                assert_eq!(out.code, 2, "{ctx}: {out:?}");
                assert!(out.stderr.contains("moves no token"), "{ctx}: {out:?}");
                continue;
            }
            assert_eq!(out.code, 0, "{ctx}: {out:?}");
            let obj = json_of(&out);
            let review = pairs(&obj["review"]);
            assert_covers(
                &review,
                &doc,
                Some(6),
                &format!("verify {ctx} with a definition"),
            );
            assert!(review.contains(&(
                "Token".into(),
                format!("USDX {}", Address::parse(TOKEN).unwrap())
            )));
            assert_eq!(obj["token_unit"]["source"], "definition");
            assert_eq!(obj["token_unit"]["signer"], DEF_SIGNER);
            // No amount is left in base units alone.
            for (i, (label, value)) in review.iter().enumerate() {
                if label.starts_with("Base units") {
                    assert!(review[i - 1].1.ends_with(" USDX"), "{ctx}: {review:?}");
                } else if ["Amount", "Allowance", "Escrow fee", "Total"]
                    .iter()
                    .any(|l| label.starts_with(l))
                {
                    assert!(value.ends_with(" USDX"), "{ctx}: {label} {value}");
                }
            }
        }
    }
    // The batch total, in both forms.
    let batch = &documents(dir.path())[13];
    let signed = sign(batch, "v2", &key, &[]);
    let out = verify(&signed["request"].to_string(), "BatchPayment", &with_def);
    let review = pairs(&json_of(&out)["review"]);
    let total = review.iter().position(|(l, _)| l == "Total").unwrap();
    assert_eq!(review[total].1, "3.5 USDX");
    assert_eq!(review[total + 1], ("Base units".into(), "3500000".into()));
}

#[test]
fn verify_text_shows_the_review_and_sign_shows_it_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let def = definition_file(dir.path(), "1212101", TOKEN, "usdx.json");
    let doc = &documents(dir.path())[0];
    let out = call(
        &[
            "sign",
            "--scheme",
            "v2",
            "--private-key-file",
            &key,
            "--definition",
            &def,
            "--trust-definitions",
            DEF_SIGNER,
        ],
        doc.to_string().as_bytes(),
    );
    assert_eq!(out.code, 0, "{out:?}");
    for needle in [
        "Payment signed:",
        "  Amount            1.5 USDX\n",
        "  Base units        1500000\n",
        "  Warning           Memo data contains non-ASCII characters\n",
        "  Memo data         \"caf\\u{E9} \\u{2713}\"\n",
        "  Chain             1Money Testnet\n",
        "token unit        USDX with 6 decimals, from",
    ] {
        assert!(out.stderr.contains(needle), "{needle:?} in {out:?}");
    }
    // sign --lines prints no review: a definition there is refused.
    let lines = call(
        &[
            "sign",
            "--lines",
            "--private-key-file",
            &key,
            "--definition",
            &def,
        ],
        doc.to_string().as_bytes(),
    );
    assert_eq!(lines.code, 2, "{lines:?}");
    assert!(
        lines.stderr.contains("sign --lines prints no review"),
        "{lines:?}"
    );
    // Stdout is the request alone.
    let body = out.stdout.trim();
    assert!(body.starts_with('{') && !body.contains('\n'), "{out:?}");
    let text = call(
        &[
            "verify",
            "--operation",
            "Payment",
            "--definition",
            &def,
            "--trust-definitions",
            DEF_SIGNER,
        ],
        body.as_bytes(),
    );
    assert_eq!(text.code, 0, "{text:?}");
    assert!(text.stdout.starts_with("Valid signature.\n"), "{text:?}");
    assert!(text.stdout.contains("Payment signed:\n"), "{text:?}");
    assert!(
        text.stdout.contains("  Amount            1.5 USDX\n"),
        "{text:?}"
    );
}
