//! A file on a ticket, both ways: uploads a file directly (multipart) and the presigned way
//! (presign, `PUT`, complete), replies to a ticket with both, then downloads each back and
//! compares the bytes.
//!
//! ```sh
//! cargo run --example ticket_attachment
//! ```
//!
//! It boots the in-process mock and uses the CRM key of Acme's owner seat. The file is written
//! to a temporary directory first, so the upload is streamed from disk as a real one would be.

use deskapi::NextCapCrmClient;
use deskapi_mock::MockServer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    let crm =
        NextCapCrmClient::builder(server.keys().nextcap_crm_admin.as_str()).base_url(server.nextcap_url()).build()?;

    let dir = std::env::temp_dir().join(format!("ticket-attachment-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("screenshot.png");
    let original: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &original)?;

    let direct = crm
        .attachments()
        .upload(&path)
        .progress(|sent, total| {
            if sent == total {
                println!("direct upload: {sent}/{total} bytes sent");
            }
        })
        .send()
        .await?;
    println!("direct upload: {} ({}, {} bytes), {:?}", direct.id, direct.content_type, direct.size, direct.status);
    let presigned = crm.attachments().upload_presigned(&path).filename("screenshot-2.png").send().await?;
    println!("presigned upload: {} ({} bytes), {:?}", presigned.id, presigned.size, presigned.status);

    let open = crm.tickets().list().per_page(1).send().await?;
    let ticket = open.items.first().ok_or("no ticket to reply to")?;
    crm.tickets()
        .reply(ticket, "Here are the screenshots.")
        .attachment_ids([direct.id.clone(), presigned.id.clone()])
        .send()
        .await?;
    let detail = crm.tickets().get(ticket.ticket.id.clone()).await?;
    println!("ticket #{} now has {} attachment(s)", detail.ticket.ticket.ticket_number, detail.attachments.len());

    for id in [direct.id, presigned.id] {
        let copy = dir.join(format!("{id}.png"));
        let written = crm.attachments().download_to_path(id.clone(), &copy).await?;
        let same = std::fs::read(&copy)? == original;
        println!("downloaded {id}: {written} bytes, identical: {same}");
        if !same {
            return Err("the downloaded bytes differ from the upload".into());
        }
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
