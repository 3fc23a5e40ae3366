// The frame (header, navigation, main) and the route table.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { logOut, trpc, useSession } from "./api";
import { Customers } from "./pages/admin/Customers";
import { Dashboard } from "./pages/admin/Dashboard";
import { Discounts } from "./pages/admin/Discounts";
import { OrderDetail, OrderList } from "./pages/admin/Orders";
import { EditProduct } from "./pages/admin/products/EditProduct";
import { NewProduct } from "./pages/admin/products/ProductForm";
import { ProductList } from "./pages/admin/products/ProductList";
import { ChangeEmail } from "./pages/account/ChangeEmail";
import { ForgotPassword } from "./pages/account/ForgotPassword";
import { ResetPassword } from "./pages/account/ResetPassword";
import { VerifyEmail } from "./pages/account/VerifyEmail";
import { LogIn, SignUp } from "./pages/Auth";
import { Cart } from "./pages/Cart";
import { Catalog } from "./pages/Catalog";
import { Checkout } from "./pages/Checkout";
import { OrderPage, Orders } from "./pages/Orders";
import { Product } from "./pages/Product";
import { AccountSettings } from "./pages/account/Account";
import { Receipt } from "./pages/Receipt";
import { Link, navigate, useLocation } from "./router";
import { Page } from "./ui";

function route(path: string) {
  const slug = /^\/products\/([^/]+)$/.exec(path)?.[1];
  if (slug) return <Product slug={decodeURIComponent(slug)} />;
  const adminProduct = /^\/admin\/products\/([^/]+)$/.exec(path)?.[1];
  if (adminProduct && adminProduct !== "new") return <EditProduct id={decodeURIComponent(adminProduct)} />;
  const receipt = /^\/orders\/([^/]+)\/receipt$/.exec(path)?.[1];
  if (receipt) return <Receipt id={decodeURIComponent(receipt)} />;
  const order = /^\/orders\/([^/]+)$/.exec(path)?.[1];
  if (order) return <OrderPage id={decodeURIComponent(order)} />;
  const adminOrder = /^\/admin\/orders\/([^/]+)$/.exec(path)?.[1];
  if (adminOrder) return <OrderDetail id={decodeURIComponent(adminOrder)} />;
  switch (path) {
    case "/":
      return <Catalog />;
    case "/login":
      return <LogIn />;
    case "/signup":
      return <SignUp />;
    case "/forgot-password":
      return <ForgotPassword />;
    case "/reset-password":
      return <ResetPassword />;
    case "/verify-email":
      return <VerifyEmail />;
    case "/account/email":
      return <ChangeEmail />;
    case "/cart":
      return <Cart />;
    case "/checkout":
      return <Checkout />;
    case "/orders":
      return <Orders />;
    case "/account":
      return (
        <AccountSettings
          changeEmail={
            <p>
              <Link to="/account/email">Change e-mail address</Link>
            </p>
          }
        />
      );
    case "/admin":
      return <Dashboard />;
    case "/admin/products":
      return <ProductList />;
    case "/admin/products/new":
      return <NewProduct />;
    case "/admin/discounts":
      return <Discounts />;
    case "/admin/orders":
      return <OrderList />;
    case "/admin/customers":
      return <Customers />;
    default:
      return (
        <Page title="Page not found">
          <p>
            There is nothing here. <Link to="/">Back to the shop</Link>.
          </p>
        </Page>
      );
  }
}

function CartLink() {
  const cart = useQuery(trpc.cart.get.queryOptions());
  const count = cart.data?.lines.reduce((sum, line) => sum + line.quantity, 0) ?? 0;
  return (
    <Link to="/cart" aria-label={`Cart, ${count} item${count === 1 ? "" : "s"}`}>
      Cart{count > 0 && <span className="badge">{count}</span>}
    </Link>
  );
}

function Account() {
  const session = useSession();
  const [leaving, setLeaving] = useState(false);
  if (session.status === "restoring") return null;
  if (!session.user) {
    return (
      <>
        <Link to="/login">Log in</Link>
        <Link to="/signup">Sign up</Link>
      </>
    );
  }
  const leave = async () => {
    setLeaving(true);
    await logOut().finally(() => setLeaving(false));
    navigate("/");
  };
  return (
    <>
      <CartLink />
      <Link to="/orders">Orders</Link>
      <Link to="/account">Account</Link>
      {session.user.role === "admin" && <Link to="/admin">Admin</Link>}
      <span className="who" data-testid="signed-in-as">
        {session.user.name}
      </span>
      <button type="button" className="link" onClick={() => void leave()} disabled={leaving}>
        Log out
      </button>
    </>
  );
}

/** "Test payments only" is true only where the test provider's made-up cards are what pays. */
function Footer() {
  const setup = useQuery(trpc.checkout.paymentSetup.queryOptions(undefined, { staleTime: Infinity }));
  return <footer className="site-footer">{setup.data?.provider === "test" ? "Demo shop · test payments only" : "Storefront"}</footer>;
}

export function App() {
  const { path } = useLocation();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Storefront
        </Link>
        <nav aria-label="Account">
          <Account />
        </nav>
      </header>
      <main id="main">{route(path)}</main>
      <Footer />
    </>
  );
}
