//! The few shared types the views are built from. Each generic Leptos type (a memo, a signal,
//! a reactive closure, an event handler, a list of views) costs its own copy of Leptos's code
//! in the download for every type it is used with; these put many uses behind one type each.

use leptos::prelude::*;

/// A reactive value of one shared type per `T` (Render/AttributeValue code instantiated once).
pub type R<T> = std::sync::Arc<dyn Fn() -> T + Send + Sync>;
/// Erases a reactive closure into [`R`].
pub fn r<T: 'static>(f: impl Fn() -> T + Send + Sync + 'static) -> R<T> {
    std::sync::Arc::new(f)
}
/// A reactive view of one shared type.
pub type RV = std::sync::Arc<std::sync::Mutex<dyn FnMut() -> AnyView + Send>>;
/// Erases a view-returning closure into [`RV`].
pub fn rv<V: IntoView + 'static>(f: impl Fn() -> V + Send + 'static) -> RV {
    std::sync::Arc::new(std::sync::Mutex::new(move || f().into_any()))
}

/// `collect_view` into one shared list type (`Vec<AnyView>`) instead of one per item type.
pub trait CollectAny {
    /// Collects the views of an iterator as `Vec<AnyView>`.
    fn collect_any(self) -> Vec<AnyView>;
}

impl<I> CollectAny for I
where
    I: Iterator,
    I::Item: IntoView + 'static,
{
    fn collect_any(self) -> Vec<AnyView> {
        self.map(IntoAny::into_any).collect()
    }
}

/// A memo of one shared type whatever its value type: Leptos's memo code (graph node, storage,
/// comparison, reads) exists once for the whole app, the values compared and read through
/// `Any`. Read it like a [`Memo`]: `get`, `with`.
pub struct AnyMemo<T> {
    inner: Memo<Shared>,
    ty: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for AnyMemo<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for AnyMemo<T> {}

impl<T: 'static> AnyMemo<T> {
    /// Reads the value, tracked.
    pub fn with<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        self.inner.with(|v| f(v.get()))
    }

    /// A copy of the value, tracked.
    pub fn get(&self) -> T
    where
        T: Clone,
    {
        self.with(T::clone)
    }

    /// A copy of the value, untracked.
    pub fn get_untracked(&self) -> T
    where
        T: Clone,
    {
        self.inner.with_untracked(|v| v.get::<T>().clone())
    }
}

/// A memo's value behind `Any`, equal when the values are.
#[derive(Clone)]
struct Shared(std::sync::Arc<dyn Value>);

trait Value: Send + Sync {
    fn same(&self, other: &dyn Value) -> bool;
    fn any(&self) -> &dyn std::any::Any;
}

impl<T: PartialEq + Send + Sync + 'static> Value for T {
    fn same(&self, other: &dyn Value) -> bool {
        other.any().downcast_ref::<T>() == Some(self)
    }
    fn any(&self) -> &dyn std::any::Any {
        self
    }
}

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        self.0.same(&*other.0)
    }
}

impl Shared {
    fn get<T: 'static>(&self) -> &T {
        match self.0.any().downcast_ref::<T>() {
            Some(v) => v,
            None => not_this_type(),
        }
    }
}

#[cold]
#[inline(never)]
fn not_this_type() -> ! {
    unreachable!("a memo read as another type")
}

/// `Memo::new(move |_| f())` as a [`AnyMemo`]: the memo's code built once for all value types.
pub fn memo<T: PartialEq + Send + Sync + 'static>(
    f: impl Fn() -> T + Send + Sync + 'static,
) -> AnyMemo<T> {
    AnyMemo {
        inner: memo_shared(std::sync::Arc::new(move || {
            Shared(std::sync::Arc::new(f()))
        })),
        ty: std::marker::PhantomData,
    }
}

#[inline(never)]
fn memo_shared(f: R<Shared>) -> Memo<Shared> {
    Memo::new(move |_| f())
}

/// A signal of one shared type whatever its value type (as [`AnyMemo`] for memos): for the values
/// only a screen holds. Read and written like a [`RwSignal`].
pub struct AnySignal<T> {
    inner: RwSignal<Slot>,
    ty: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for AnySignal<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for AnySignal<T> {}

/// A signal's value behind `Any`.
struct Slot(Box<dyn std::any::Any + Send + Sync>);

impl Slot {
    fn get<T: 'static>(&self) -> &T {
        match self.0.downcast_ref::<T>() {
            Some(v) => v,
            None => not_this_type(),
        }
    }

    fn get_mut<T: 'static>(&mut self) -> &mut T {
        match self.0.downcast_mut::<T>() {
            Some(v) => v,
            None => not_this_type(),
        }
    }
}

impl<T: Send + Sync + 'static> AnySignal<T> {
    /// A new signal holding `value`.
    pub fn new(value: T) -> Self {
        AnySignal {
            inner: slot_signal(Slot(Box::new(value))),
            ty: std::marker::PhantomData,
        }
    }

    /// Reads the value, tracked.
    pub fn with<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        self.inner.with(|v| f(v.get()))
    }

    /// A copy of the value, tracked.
    pub fn get(&self) -> T
    where
        T: Clone,
    {
        self.with(T::clone)
    }

    /// A copy of the value, untracked.
    pub fn get_untracked(&self) -> T
    where
        T: Clone,
    {
        self.inner.with_untracked(|v| v.get::<T>().clone())
    }

    /// Replaces the value.
    pub fn set(&self, value: T) {
        self.inner.set(Slot(Box::new(value)));
    }

    /// Changes the value in place.
    pub fn update(&self, f: impl FnOnce(&mut T)) {
        self.inner.update(|v| f(v.get_mut()));
    }
}

#[inline(never)]
fn slot_signal(value: Slot) -> RwSignal<Slot> {
    RwSignal::new(value)
}

/// `Effect::new(move |_| f())` with the effect's code built once, not per closure.
pub fn effect(f: impl Fn() + 'static) {
    effect_dyn(Box::new(f));
}

#[inline(never)]
fn effect_dyn(f: Box<dyn Fn()>) {
    Effect::new(move |_| f());
}

/// A property value set once when the element is built (it reads nothing reactive), as an
/// [`R`] so it shares the code of the reactive string properties.
pub fn fixed(value: String) -> R<String> {
    r(move || value.clone())
}

/// An event handler of one shared type per event, so Leptos's listener code is built once per
/// event instead of once per handler: `on:click=click(move |_| ...)`.
pub type Handler<E> = Box<dyn FnMut(E)>;

/// A click handler ([`Handler`]).
pub fn click(f: impl FnMut(web_sys::MouseEvent) + 'static) -> Handler<web_sys::MouseEvent> {
    Box::new(f)
}

/// An `input` or `change` handler ([`Handler`]).
pub fn ev(f: impl FnMut(web_sys::Event) + 'static) -> Handler<web_sys::Event> {
    Box::new(f)
}

/// A form's `submit` handler ([`Handler`]).
pub fn ev_submit(f: impl FnMut(web_sys::SubmitEvent) + 'static) -> Handler<web_sys::SubmitEvent> {
    Box::new(f)
}

/// A `keydown` handler ([`Handler`]).
pub fn ev_key(f: impl FnMut(web_sys::KeyboardEvent) + 'static) -> Handler<web_sys::KeyboardEvent> {
    Box::new(f)
}
