import type { Metadata } from "next";
import { CampaignPage } from "./CampaignPage";

export const metadata: Metadata = { title: "Campaign · Axonaut" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <CampaignPage campaignId={id} />;
}
