from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A text the embedded default "sent" (SMS or e-mail), shown on the developer inbox.

    Production transports send for real and write nothing here.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("邮件")

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    to = models.CharField(_("接收方"), max_length=254, db_index=True)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("开发收件箱消息")
        verbose_name_plural = _("开发收件箱消息")

    def __str__(self) -> str:
        return f"{self.channel} → {self.to}"
