//! Cursor-paginated lists, written once: the first page follows a query, "Load more" appends
//! the pages after it, and a new query starts over (a late page of an older query is dropped).

use std::future::Future;

use leptos::prelude::*;
use rxgate_api_types::CursorPage;

use crate::api::ApiError;
use crate::components::error_view::error_fallback;
use crate::components::form::{FormAlert, general_error, last_error};
use crate::components::load_more::LoadMore;
use crate::components::skeleton::Skeleton;

/// A list's pages: the first one (a resource that follows the query) and those loaded after it.
pub struct Paged<T: Send + Sync + 'static> {
    first: LocalResource<Result<CursorPage<T>, ApiError>>,
    more: RwSignal<Vec<T>>,
    /// `None` until a page after the first is loaded; then that page's next cursor.
    more_cursor: RwSignal<Option<Option<String>>>,
    load_more: Action<String, Result<(), ApiError>>,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Paged<T> {}

/// The pages of `fetch(query, cursor)`, where `query` is read (and followed) from `query()`.
pub fn use_paged<Q, T, F, Fut>(query: impl Fn() -> Q + Send + Sync + 'static, fetch: F) -> Paged<T>
where
    Q: Clone + PartialEq + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    F: Fn(Q, Option<String>) -> Fut + Clone + 'static,
    Fut: Future<Output = Result<CursorPage<T>, ApiError>> + 'static,
{
    let query = Memo::new(move |_| query());
    let first = LocalResource::new({
        let fetch = fetch.clone();
        move || fetch(query.get(), None)
    });
    let more = RwSignal::new(Vec::<T>::new());
    let more_cursor = RwSignal::new(None::<Option<String>>);
    let generation = StoredValue::new(0_u64);
    let load_more = Action::new_local(move |cursor: &String| {
        let page = fetch(query.get_untracked(), Some(cursor.clone()));
        let started = generation.get_value();
        async move {
            let page = page.await?;
            if generation.get_value() == started {
                more.update(|items| items.extend(page.items));
                more_cursor.set(Some(page.next_cursor));
            }
            Ok::<_, ApiError>(())
        }
    });
    Effect::watch(
        move || query.track(),
        move |_, _, _| {
            generation.update_value(|g| *g += 1);
            more.set(Vec::new());
            more_cursor.set(None);
            load_more.value().set(None);
        },
        false,
    );
    Paged {
        first,
        more,
        more_cursor,
        load_more,
    }
}

/// Every item of a cursor-paginated list, following the cursor to the end: for choosers of a
/// small set (every clinic, every product a rule may name).
pub async fn all_pages<T, F, Fut>(fetch: F) -> Result<Vec<T>, ApiError>
where
    F: Fn(Option<String>) -> Fut,
    Fut: Future<Output = Result<CursorPage<T>, ApiError>>,
{
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = fetch(cursor).await?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(all),
        }
    }
}

/// How the rows are laid out.
#[derive(Clone, Copy)]
pub enum Layout {
    /// A `<ul class="item-list card">` named `label`; each row is an `<li>`.
    List { label: &'static str },
    /// A `<ul class="product-grid">` of cards named `label`; each row is an `<li>`.
    Grid { label: &'static str },
    /// A scrollable table named `label` with the header row `head`; each row is a `<tr>`.
    Table {
        label: &'static str,
        head: fn() -> AnyView,
    },
}

/// What a few lists add to [`paged_view`]; `Extras::default()` adds nothing.
#[derive(Debug, Clone, Copy)]
pub struct Extras {
    /// The lines of the placeholder while the first page loads.
    pub skeleton_lines: usize,
    /// Said where "Load more" was once every page is loaded, e.g. "End of the log.".
    pub end: Option<&'static str>,
}

impl Default for Extras {
    fn default() -> Self {
        Self {
            skeleton_lines: 6,
            end: None,
        }
    }
}

/// The list: a skeleton while the first page loads, `empty` when there is nothing, else every
/// row loaded so far and "Load more" while the API has more.
pub fn paged_view<T, R, V>(
    paged: Paged<T>,
    layout: Layout,
    empty: &'static str,
    row: R,
) -> impl IntoView + use<T, R, V>
where
    T: Clone + Send + Sync + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    paged_view_with(paged, layout, empty, Extras::default(), row)
}

/// [`paged_view`] with `extras`.
pub fn paged_view_with<T, R, V>(
    paged: Paged<T>,
    layout: Layout,
    empty: &'static str,
    extras: Extras,
    row: R,
) -> impl IntoView + use<T, R, V>
where
    T: Clone + Send + Sync + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let load_more_error = last_error(paged.load_more);
    let lines = extras.skeleton_lines;
    view! {
        <Transition fallback=move || view! { <Skeleton lines /> }>
            <ErrorBoundary fallback=error_fallback>
                {move || {
                    let row = row.clone();
                    Suspend::new(async move {
                        paged.first.await.map(|page| pages(paged, page, layout, empty, extras, row))
                    })
                }}
            </ErrorBoundary>
        </Transition>
        <FormAlert message=general_error(load_more_error, &[]) />
    }
}

fn pages<T, R, V>(
    paged: Paged<T>,
    first: CursorPage<T>,
    layout: Layout,
    empty: &'static str,
    extras: Extras,
    row: R,
) -> AnyView
where
    T: Clone + Send + Sync + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    if first.items.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    let more_row = row.clone();
    let rows = frame(
        layout,
        view! {
            {first.items.into_iter().map(row).collect_view()}
            {move || paged.more.get().into_iter().map(more_row.clone()).collect_view()}
        },
    );
    let first_cursor = first.next_cursor;
    let next_cursor = move || {
        paged
            .more_cursor
            .get()
            .unwrap_or_else(|| first_cursor.clone())
    };
    let end = extras.end;
    let actions = move || match next_cursor() {
        Some(cursor) => Some(
            view! {
                <div class="form-actions">
                    <LoadMore cursor action=paged.load_more />
                </div>
            }
            .into_any(),
        ),
        None => end.map(|end| {
            view! {
                <div class="form-actions">
                    <p class="muted">{end}</p>
                </div>
            }
            .into_any()
        }),
    };
    view! {
        {rows}
        {actions}
    }
    .into_any()
}

/// `rows` in the element of `layout`.
fn frame(layout: Layout, rows: impl IntoView + 'static) -> AnyView {
    match layout {
        Layout::List { label } => {
            view! { <ul class="item-list card" aria-label=label>{rows}</ul> }.into_any()
        }
        Layout::Grid { label } => {
            view! { <ul class="product-grid" aria-label=label>{rows}</ul> }.into_any()
        }
        Layout::Table { label, head } => view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=label>
                <table class="data">
                    <thead>{head()}</thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any(),
    }
}
