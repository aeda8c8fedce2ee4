//! Writes a page with every kind of chart, styled by the public pages'
//! `app.css`, to look at on a phone-sized screen:
//!
//! ```sh
//! cargo run --release -p lapor-charts --example demo -- /tmp/charts-demo.html
//! chromium --headless --no-sandbox --disable-gpu --window-size=360,1400 \
//!     --screenshot=/tmp/charts-360.png file:///tmp/charts-demo.html
//! ```

use lapor_charts::{bar_chart, line_chart, sparkline, Chart, Labels, NumberFormat, Series, Unit};
use maud::{html, PreEscaped, DOCTYPE};

const APP_CSS: &str = include_str!("../../web-assets/static/app.css");

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "/tmp/charts-demo.html".to_string());
    let labels = Labels {
        no_data: "Belum ada data untuk periode ini.",
        show_numbers: Some("Lihat angka"),
        from: "dari",
        to: "ke",
        numbers: NumberFormat::INDONESIAN,
    };
    let weeks: Vec<String> = (0..13).map(|w| format!("{} {}", [6, 13, 20, 27][w % 4], ["Okt", "Nov", "Des", "Jan"][w / 4])).collect();
    let received = [112.0, 98.0, 130.0, 141.0, 125.0, 160.0, 152.0, 171.0, 149.0, 166.0, 188.0, 175.0, 193.0];
    let completed = [80.0, 91.0, 95.0, 0.0, 118.0, 120.0, 131.0, 140.0, 138.0, 150.0, 0.0, 162.0, 170.0];
    let weekly = Chart {
        id: "mingguan".into(),
        title: "Laporan diterima dan selesai per minggu".into(),
        description: "13 minggu terakhir: laporan diterima naik dari 112 ke 193 per minggu, laporan selesai dari 80 ke 170; dua minggu tanpa data selesai.".into(),
        period: "Minggu mulai".into(),
        x_labels: weeks,
        series: vec![
            Series { name: "Diterima".into(), points: received.iter().map(|v| Some(*v)).collect() },
            Series { name: "Selesai".into(), points: completed.iter().map(|v| (*v > 0.0).then_some(*v)).collect() },
        ],
        unit: Unit::Count,
    };
    let months: Vec<String> = ["Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des", "Jan"].iter().map(|m| m.to_string()).collect();
    let rate = [71.5, 74.0, 69.2, 78.0, 80.4, 0.0, 83.3, 85.0, 81.7, 88.2, 90.0, 92.5];
    let monthly = Chart {
        id: "tepat-waktu".into(),
        title: "Laporan selesai tepat waktu per bulan".into(),
        description: "12 bulan terakhir: naik dari 71,5% ke 92,5%; Juli tanpa data.".into(),
        period: "Bulan".into(),
        x_labels: months.clone(),
        series: vec![Series { name: "Tepat waktu".into(), points: rate.iter().map(|v| (*v > 0.0).then_some(*v)).collect() }],
        unit: Unit::Percent,
    };
    let channels = Chart {
        id: "kanal".into(),
        title: "Laporan per kanal, 4 bulan terakhir".into(),
        description: "Web tetap kanal terbesar; SMS dan WhatsApp naik.".into(),
        period: "Bulan".into(),
        x_labels: months[8..].to_vec(),
        series: vec![
            Series { name: "Web".into(), points: vec![Some(1250.0), Some(1320.0), Some(1290.0), Some(1405.0)] },
            Series { name: "SMS".into(), points: vec![Some(310.0), Some(402.0), Some(455.0), Some(520.0)] },
            Series { name: "WhatsApp".into(), points: vec![Some(640.0), Some(700.0), None, Some(910.0)] },
        ],
        unit: Unit::Count,
    };
    let empty = Chart { id: "kosong".into(), title: "Laporan dialihkan per minggu".into(), x_labels: vec![], series: vec![], ..weekly.clone() };
    let agencies = [
        ("Dinas Pekerjaan Umum", [Some(72.0), Some(75.5), Some(80.0), Some(85.0)]),
        ("Dinas Kesehatan", [Some(90.0), Some(88.0), None, Some(84.0)]),
        ("Samsat", [None, None, None, None]),
    ];
    let page = html! {
        (DOCTYPE)
        html lang="id" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Contoh grafik" }
                style { (PreEscaped(APP_CSS)) }
            }
            body {
                main.wrap {
                    h1 { "Dasbor" }
                    (line_chart(&weekly, &labels))
                    (bar_chart(&monthly, &Labels { show_numbers: None, ..labels }))
                    (bar_chart(&channels, &labels))
                    (line_chart(&empty, &labels))
                    table {
                        caption { "Instansi" }
                        thead { tr { th scope="col" { "Instansi" } th scope="col" { "Tren tepat waktu" } } }
                        tbody {
                            @for (name, values) in &agencies {
                                tr { th scope="row" { (name) } td { (sparkline(values, "Tepat waktu", Unit::Percent, &labels)) } }
                            }
                        }
                    }
                }
            }
        }
    };
    std::fs::write(&path, page.into_string())?;
    println!("{path}");
    Ok(())
}
