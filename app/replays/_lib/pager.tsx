import Link from "next/link";

/** Previous / next page links (plain links: they work without JavaScript). */
export function Pager({
  page,
  hasMore,
  href,
}: {
  page: number;
  hasMore: boolean;
  href: (page: number) => string;
}) {
  if (page === 1 && !hasMore) return null;
  return (
    <nav aria-label="Pages" className="rp-pager">
      {page > 1 ? (
        <Link href={href(page - 1)} rel="prev" data-testid="page-prev">
          ← Previous page
        </Link>
      ) : (
        <span />
      )}
      <span className="muted">Page {page}</span>
      {hasMore ? (
        <Link href={href(page + 1)} rel="next" data-testid="page-next">
          Next page →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
