//! A live-chat agent on Next Cap: takes the next conversation from the handoff queue (CRM
//! REST), follows it over the `/crm-chat` Socket.IO namespace, answers the visitor, shows that
//! it is typing, resolves the conversation over REST (`conversation:resolved` arrives on the
//! socket) and prints the transcript.
//!
//! Run it with `cargo run --example chat_agent`: it boots the in-process mock, and the example
//! also plays the visitor through the mock's control actions (start a chat, hand it off, type,
//! send messages, rate the chat). Pointed at a real organisation instead (a real visitor then
//! has to write; the agent answers the first message and resolves):
//! `NEXTCAP_CRM_KEY=nextcap_ck_... NEXTCAP_AGENT_EMAIL=you@example.com cargo run --example chat_agent`
//! (`NEXTCAP_HOST` overrides `https://api.nextcap.ai`; the seat needs `live-chat:join`, and
//! `team:invite` to look its own user ID up by email).

use std::time::Duration;

use deskapi::NextCapCrmClient;
use deskapi::nextcap::chat::{ChatClient, ChatConfig, ChatEvent, ChatEvents};
use deskapi::nextcap::{ConversationId, MessageRole, NEXTCAP_BASE_URL};
use deskapi_mock::MockServer;
use deskapi_mock::actions::nextcap::{HandOff, NewConversation, RateConversation, VisitorMessage, VisitorTyping};
use futures::StreamExt;

/// How long the agent waits for the next event before giving up.
const PATIENCE: Duration = Duration::from_secs(300);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let real = std::env::var("NEXTCAP_CRM_KEY").ok().zip(std::env::var("NEXTCAP_AGENT_EMAIL").ok());
    let (key, email, host, rest, started, mock) = match real {
        Some((key, email)) => {
            let host = std::env::var("NEXTCAP_HOST").unwrap_or_else(|_| "https://api.nextcap.ai".into());
            let rest =
                if host == "https://api.nextcap.ai" { NEXTCAP_BASE_URL.to_owned() } else { format!("{host}/api/v1") };
            (key, email, host, rest, None, None)
        }
        None => {
            let server = MockServer::start().await;
            println!("mock Next Cap on {}", server.url());
            let key = server.keys().nextcap_crm_admin.clone();
            let visitor = Visitor { server: &server };
            let waiting = visitor.arrives("Hi! My order #1042 has not arrived yet.")?;
            println!("visitor: started a chat ({waiting}) and asked for a human");
            let (host, rest) = (server.url(), server.nextcap_url());
            (key, "ada.admin@acme.example".to_owned(), host, rest, Some(waiting), Some(server))
        }
    };
    let visitor = mock.as_ref().map(|server| Visitor { server });
    let crm = NextCapCrmClient::builder(key.as_str()).base_url(rest.as_str()).build()?;

    // Take the longest-waiting conversation of the handoff queue (on the mock, the one the
    // example's visitor started: the fixtures' older ones wait ahead of it).
    let queue = crm.conversations().queue().await?;
    println!("agent: {} conversation(s) waiting in the queue", queue.len());
    let Some(next) = queue.iter().find(|c| Some(c.id.as_str()) == started.as_deref()).or(queue.first()) else {
        println!("agent: nothing to take");
        return Ok(());
    };
    let conv = next.id.clone();
    let me = crm.members().by_email(&email).await?;

    // Follow it live before taking it, so the assignment shows up on the socket too.
    let config = ChatConfig::new(key.as_str()).base_url(&host)?.crm_client(crm.clone());
    let (chat, mut events) = ChatClient::connect(config).await?;
    expect(&mut events, |e| matches!(e, ChatEvent::Connected)).await?;
    chat.join(&conv).await?;
    crm.conversations().assign(&conv, &me.id).await?;
    expect(&mut events, |e| matches!(e, ChatEvent::AgentAssigned(a) if a.conversation_id == conv)).await?;
    println!("agent: {} took {conv}", me.name);

    let history = crm.conversations().get(&conv).await?;
    if let Some(first) = history.messages.iter().find(|m| m.role == MessageRole::User) {
        println!("agent: the visitor wrote: {:?}", first.content);
    }

    // The visitor keeps writing; the agent answers each message while it is live.
    if let Some(v) = &visitor {
        v.types(&conv, "Also, can I change the delivery address")?;
        expect(&mut events, |e| matches!(e, ChatEvent::TypingContent(_))).await?;
        v.says(&conv, "Also, can I change the delivery address?")?;
    }
    let question = expect(&mut events, |e| matches!(e, ChatEvent::Message(m) if m.role == MessageRole::User)).await?;
    if let ChatEvent::Message(m) = &question {
        println!("agent: received {:?}", m.content);
    }
    chat.typing(&conv).await?;
    let sent = chat.send(&conv, "Yes! It ships tomorrow, so I have updated the address for you.").await?;
    expect(&mut events, |e| matches!(e, ChatEvent::Message(m) if m.id == sent)).await?;

    if let Some(v) = &visitor {
        v.says(&conv, "Perfect, thank you!")?;
        expect(&mut events, |e| matches!(e, ChatEvent::Message(m) if m.role == MessageRole::User)).await?;
    }
    crm.conversations().resolve(&conv).await?;
    expect(&mut events, |e| matches!(e, ChatEvent::ConversationResolved(r) if r.conversation_id == conv)).await?;
    if let Some(v) = &visitor {
        v.rates(&conv, 5)?;
        expect(&mut events, |e| matches!(e, ChatEvent::FeedbackReceived(_))).await?;
    }

    println!("\ntranscript of {conv}:");
    for m in crm.conversations().get(&conv).await?.messages {
        println!("  {} {:<9} {}", m.created_at.format("%H:%M:%S"), m.role.to_string(), m.content);
    }
    Ok(())
}

/// Reads events, printing each, until one matches `wanted` (returned).
async fn expect(
    events: &mut ChatEvents,
    wanted: impl Fn(&ChatEvent) -> bool,
) -> Result<ChatEvent, Box<dyn std::error::Error>> {
    loop {
        let event = tokio::time::timeout(PATIENCE, events.next()).await?.ok_or("the chat stream ended")??;
        println!("  <- {}", describe(&event));
        if wanted(&event) {
            return Ok(event);
        }
    }
}

fn describe(event: &ChatEvent) -> String {
    match event {
        ChatEvent::Message(m) => format!("message:new [{}] {}", m.role, m.content),
        ChatEvent::Typing(t) => format!("typing ({:?} {})", t.role, t.identifier),
        ChatEvent::TypingContent(t) => format!("typing:content {:?}", t.content),
        ChatEvent::AgentAssigned(a) => format!("agent:assigned {}", a.agent_user_id),
        ChatEvent::ConversationResolved(r) => format!("conversation:resolved at {}", r.timestamp),
        ChatEvent::FeedbackReceived(f) => format!("feedback:received {} stars", f.satisfaction_rating),
        other => format!("{other:?}"),
    }
}

/// The visitor, played through the mock's control actions.
struct Visitor<'a> {
    server: &'a MockServer,
}

type ActionResult<T> = Result<T, Box<dyn std::error::Error>>;

impl Visitor<'_> {
    fn id(conv: &ConversationId) -> ActionResult<Option<uuid::Uuid>> {
        Ok(Some(conv.as_str().parse()?))
    }

    /// Starts a chat with `message` and has the AI hand it off to the queue.
    fn arrives(&self, message: &str) -> ActionResult<String> {
        let input = NewConversation {
            org: "acme".into(),
            visitor_name: Some("Jane".into()),
            message: Some(message.into()),
            ..NewConversation::default()
        };
        let conversation = self.server.nextcap().start_conversation(input)?;
        let hand_off = HandOff { org: "acme".into(), conversation_id: Some(conversation.id), assigned_agent_id: None };
        self.server.nextcap().hand_off_conversation(hand_off)?;
        Ok(conversation.id.to_string())
    }

    fn types(&self, conv: &ConversationId, draft: &str) -> ActionResult<()> {
        let input = VisitorTyping { org: "acme".into(), conversation_id: Self::id(conv)?, content: Some(draft.into()) };
        self.server.nextcap().visitor_typing(input)?;
        Ok(())
    }

    fn says(&self, conv: &ConversationId, content: &str) -> ActionResult<()> {
        let input = VisitorMessage { org: "acme".into(), conversation_id: Self::id(conv)?, content: content.into() };
        self.server.nextcap().send_visitor_message(input)?;
        println!("visitor: {content}");
        Ok(())
    }

    fn rates(&self, conv: &ConversationId, stars: u8) -> ActionResult<()> {
        let input = RateConversation {
            org: "acme".into(),
            conversation_id: Self::id(conv)?,
            satisfaction_rating: Some(stars),
            feedback: None,
        };
        self.server.nextcap().rate_conversation(input)?;
        println!("visitor: rated the chat {stars} stars");
        Ok(())
    }
}
